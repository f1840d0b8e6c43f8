/**
 * @module
 * Typed access to an ONNX node's attributes and constant inputs, for the op mappings. A missing optional
 * attribute takes the default onnx's operator schema gives it (docs/Operators.md), passed by the caller.
 */
import type { Lowering, Value } from './lowering.js';
import type { OnnxAttribute, OnnxNode } from './types.js';

/** A node's attributes and inputs, read for one mapping. */
export class NodeView {
  readonly node: OnnxNode;
  readonly m: Lowering;
  /** Default-domain opset the model imports (the version of every standard op). */
  readonly opset: number;
  private readonly byName = new Map<string, OnnxAttribute>();

  constructor(m: Lowering, node: OnnxNode, opset: number) {
    this.m = m;
    this.node = node;
    this.opset = opset;
    for (const a of node.attributes) this.byName.set(a.name, a);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }
  /** An integer attribute. */
  int(name: string, fallback: number): number {
    const a = this.byName.get(name);
    return a?.i ?? fallback;
  }
  /** A float attribute. */
  float(name: string, fallback: number): number {
    const a = this.byName.get(name);
    return a?.f ?? fallback;
  }
  /** A string attribute. */
  str(name: string, fallback: string): string {
    return this.byName.get(name)?.s ?? fallback;
  }
  /** An integer-list attribute, or undefined. */
  ints(name: string): readonly number[] | undefined {
    const a = this.byName.get(name);
    return a?.ints ?? (a?.i !== undefined ? [a.i] : undefined);
  }
  /** A float-list attribute, or undefined. */
  floats(name: string): readonly number[] | undefined {
    const a = this.byName.get(name);
    return a?.floats ?? (a?.f !== undefined ? [a.f] : undefined);
  }
  /** The attribute record itself. */
  attr(name: string): OnnxAttribute | undefined {
    return this.byName.get(name);
  }

  /** Input i's value, or undefined when the input is absent (an empty name). */
  input(i: number): Value | undefined {
    const name = this.node.inputs[i];
    return name ? this.m.get(name) : undefined;
  }
  /** Input i's known values (a constant or a folded shape computation), or undefined. */
  known(i: number): readonly number[] | undefined {
    return this.input(i)?.known?.values;
  }
  /** The list given by input i (newer opsets) or by attribute `name` (older ones). */
  listFrom(i: number, name: string): readonly number[] | undefined {
    return this.node.inputs[i] ? this.known(i) : this.ints(name);
  }
  /** True when input i is a value nncalc knows the shape of. */
  shaped(i: number): boolean {
    return this.input(i)?.shape !== undefined;
  }
}
