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

  constructor(m: Lowering, node: OnnxNode, opset: number) {
    this.m = m;
    this.node = node;
    this.opset = opset;
  }

  /** The attribute record itself (a node has a handful: a search beats building a map per node). */
  attr(name: string): OnnxAttribute | undefined {
    for (const a of this.node.attributes) if (a.name === name) return a;
    return undefined;
  }
  has(name: string): boolean {
    return this.attr(name) !== undefined;
  }
  /** An integer attribute. */
  int(name: string, fallback: number): number {
    return this.attr(name)?.i ?? fallback;
  }
  /** A float attribute. */
  float(name: string, fallback: number): number {
    return this.attr(name)?.f ?? fallback;
  }
  /** A string attribute. */
  str(name: string, fallback: string): string {
    return this.attr(name)?.s ?? fallback;
  }
  /** An integer-list attribute, or undefined. */
  ints(name: string): readonly number[] | undefined {
    const a = this.attr(name);
    return a?.ints ?? (a?.i !== undefined ? [a.i] : undefined);
  }
  /** A float-list attribute, or undefined. */
  floats(name: string): readonly number[] | undefined {
    const a = this.attr(name);
    return a?.floats ?? (a?.f !== undefined ? [a.f] : undefined);
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
