/**
 * @module
 * Attribute values that read a tensor's shape (`size: like(skip)`, `kernel: dim(x, -1)`): the spec reader keeps
 * them as Deferred values, build resolves the tensors they name to layers, and the analysis evaluates them once
 * those layers' shapes are known, just before the layer's attributes are read.
 */
import { ModelError } from '../errors.js';
import type { Loc, Node, Shape } from '../types.js';
import { evaluate, type Value } from './evaluate.js';
import { ExprError, type Expr } from './expr.js';

/** An attribute value that waits for shapes. */
export class Deferred {
  constructor(
    /** The expression as written. */
    readonly text: string,
    readonly expr: Expr,
    /** The values of the names it reads (module parameters, the repeat index). */
    readonly env: Readonly<Record<string, Value>>,
    /** The tensors it reads, as written → the layer or input they resolve to (filled by build). */
    readonly tensors: Readonly<Record<string, string>>,
    /** Where a piece of the expression is written. */
    readonly locAt: (at: number, length: number) => Loc | undefined,
  ) {}

  /** The same value with its tensors resolved. */
  resolved(tensors: Readonly<Record<string, string>>): Deferred {
    return new Deferred(this.text, this.expr, this.env, tensors, this.locAt);
  }
}

/** Calls `f` on every Deferred inside a value (a list may hold some), returning the value with them replaced. */
export function mapDeferred(v: unknown, f: (d: Deferred) => unknown): unknown {
  if (v instanceof Deferred) return f(v);
  if (Array.isArray(v) && v.some((x) => x instanceof Deferred || Array.isArray(x))) return v.map((x) => mapDeferred(x, f));
  return v;
}

const holds = (v: unknown): boolean => v instanceof Deferred || (Array.isArray(v) && v.some(holds));

/** True when a node has an attribute that waits for shapes. */
export function hasDeferred(node: Node): boolean {
  for (const key in node.attrs) if (holds(node.attrs[key])) return true;
  return false;
}

/**
 * The node with its deferred attributes evaluated, given the shapes of the tensors built so far; the node itself
 * when it has none. Errors point at the piece of the expression that failed.
 */
export function evaluateDeferred(node: Node, shapeOf: (id: string) => Shape | undefined): Node {
  if (!hasDeferred(node)) return node;
  const attrs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node.attrs)) {
    attrs[key] = mapDeferred(value, (d) => {
      try {
        return evaluate(d.expr, {
          lookup: (name) => (Object.hasOwn(d.env, name) ? d.env[name] : undefined),
          shapeOf(ref, at, length) {
            const id = d.tensors[ref];
            const shape = id === undefined ? undefined : shapeOf(id);
            if (!shape) throw new ExprError(`'${ref}' is not a layer or an input this layer can see.`, at, length);
            return shape;
          },
        });
      } catch (e) {
        if (!(e instanceof ExprError)) throw e;
        throw new ModelError('spec', `layer '${node.id}': ${key}: ${e.message}`, { loc: d.locAt(e.at, e.length) ?? node.attrLocs?.[key] ?? node.loc, layer: node.id });
      }
    });
  }
  return { ...node, attrs };
}
