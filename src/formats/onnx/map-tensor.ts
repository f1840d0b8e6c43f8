/**
 * @module
 * ONNX's element-wise and data-movement ops onto nncalc's: Add/Mul (a bias after MatMul joins its linear
 * layer; a learned tensor is a Parameter layer; a scalar is a constant operand), the other arithmetic,
 * Concat (ViT's class token is a Parameter that prepends a token), Reshape, Flatten, Transpose, Squeeze,
 * Unsqueeze, Gather (a lookup in a stored table is an Embedding), Slice, Pad, Split, DepthToSpace.
 */
import { broadcast } from '../../ops/merge.js';
import { size } from '../../ops/op.js';
import type { NodeView } from './attrs.js';
import { Lowering, type Value } from './lowering.js';
import { out } from './map-nn.js';

/** Ops whose result is boolean (ONNX type 9). */
const LOGICAL = new Set(['Equal', 'Less', 'LessOrEqual', 'Greater', 'GreaterOrEqual', 'And', 'Or', 'Not', 'Xor', 'IsNaN', 'IsInf']);

const ELEMENTWISE_KIND: Readonly<Record<string, string>> = { Add: 'add', Sum: 'add', Mul: 'mul' };

/** True when `b` broadcasts onto `a` without enlarging it. */
function fits(a: readonly number[], b: readonly number[]): boolean {
  try {
    const s = broadcast([a, b], 'fit');
    return s.length === a.length && s.every((d, i) => d === a[i]);
  } catch {
    return false;
  }
}

/** Element-wise arithmetic of any arity. */
export function arith(v: NodeView): Value[] | undefined {
  const op = v.node.opType;
  // The present inputs; how many are layer outputs (activations), and the first of them.
  const ins: Value[] = [];
  let acts = 0;
  let act = '';
  let dtype: number | undefined;
  for (let i = 0; i < v.node.inputs.length; i++) {
    const x = v.node.inputs[i] ? v.input(i) : undefined;
    if (!x) continue;
    if (!x.shape) return undefined;
    ins.push(x);
    if (x.ref !== undefined && acts++ === 0) act = v.node.inputs[i]!;
    dtype ??= x.dtype;
  }
  if (ins.length === 0) return undefined;
  if (acts === 1 && ins.length === 2) {
    const [a, c] = ins[0]!.ref !== undefined ? [ins[0]!, ins[1]!] : [ins[1]!, ins[0]!];
    // PyTorch writes nn.Linear on a 3-D input as MatMul then Add of the bias: one layer, as the module is.
    if (op === 'Add' && c.stored && v.m.uses(act) === 1 && v.m.addBias(a.ref!, c)) return [a];
    if ((op === 'Add' || op === 'Sub' || op === 'Mul' || op === 'Div') && Lowering.learned(c) && fits(a.shape!, c.shape!)) {
      const mode = op === 'Add' || op === 'Sub' ? 'add' : 'mul';
      const { ref, shapes } = v.m.emit('parameter', { shape: [...c.shape!], mode }, [a], [['weight', c]]);
      return [out(ref, shapes[0]!, dtype)];
    }
  }
  // Learned constants become tensor layers; the first other constant is the op's constant operand.
  const inputs: (Value | string)[] = [];
  let constant: number[] | undefined;
  for (const x of ins) {
    if (x.ref === undefined && !Lowering.learned(x) && constant === undefined && acts > 0) constant = [...x.shape!];
    else inputs.push(x);
  }
  const kind = ELEMENTWISE_KIND[op] ?? 'elementwise';
  const attrs: Record<string, unknown> = kind === 'elementwise' ? { fn: op.toLowerCase() } : {};
  if (constant) attrs['constant'] = constant;
  if (kind !== 'elementwise' && inputs.length + (constant ? 1 : 0) < 2) return undefined;
  const { ref, shapes } = v.m.emit(kind, attrs, inputs);
  return [out(ref, shapes[0]!, LOGICAL.has(op) ? 9 : dtype)];
}

/** Concat: all inputs joined; a stored [1, T, d] token before a sequence is a Parameter that prepends it. */
export function concatNode(v: NodeView): Value[] | undefined {
  const ins = v.node.inputs.map((_, i) => v.input(i)).filter((x): x is Value => x !== undefined);
  if (ins.length === 0 || ins.some((x) => !x.shape)) return undefined;
  const axis = v.int('axis', 1);
  const [first, second] = ins;
  if (ins.length === 2 && first!.stored && second!.ref !== undefined && Lowering.learned(first!) && axis === 1 && second!.shape!.length === 3) {
    const { ref, shapes } = v.m.emit('parameter', { shape: [...first!.shape!], mode: 'concat_token' }, [second!], [['weight', first!]]);
    return [out(ref, shapes[0]!, second!.dtype)];
  }
  const { ref, shapes } = v.m.emit('concat', { dim: axis }, ins);
  return [out(ref, shapes[0]!, first!.dtype)];
}

/** A layer that only changes the shape: the nncalc op when it fits exactly, else a reshape to the shape ONNX gives. */
function reshaped(v: NodeView, x: Value, shape: readonly number[]): Value[] | undefined {
  if (shape.some((d) => d < 1 && d !== -1)) return undefined;
  const { ref, shapes } = v.m.emit('reshape', { shape: [...shape] }, [x]);
  return [out(ref, shapes[0]!, x.dtype)];
}

/** Reshape: 0 copies the input's size (unless allowzero), −1 is inferred; a computed target comes from folding or value_info. */
export function reshape(v: NodeView, declared: readonly number[] | undefined): Value[] | undefined {
  const x = v.input(0);
  if (!x?.shape) return undefined;
  const target = v.opset >= 5 ? v.known(1) : v.ints('shape');
  if (!target) return declared ? reshaped(v, x, declared) : undefined;
  const allowZero = v.int('allowzero', 0) === 1;
  const shape = target.map((d, i) => (d === 0 && !allowZero ? x.shape![i] : d));
  if (shape.some((d) => d === undefined)) throw v.m.fail(`copies dimension ${target.indexOf(0)} of its input [${x.shape.join(', ')}], which has no such dimension`, 'shape');
  return reshaped(v, x, shape as number[]);
}

/** Flatten: [d0…d(a−1), da…] → [Π before axis, Π from axis]. */
export function flattenNode(v: NodeView): Value[] | undefined {
  const x = v.input(0);
  if (!x?.shape) return undefined;
  const r = x.shape.length;
  const axis = v.int('axis', 1) < 0 ? v.int('axis', 1) + r : v.int('axis', 1);
  if (axis < 0 || axis > r) return undefined;
  if (axis === 1 && r >= 2) {
    const { ref, shapes } = v.m.emit('flatten', { start_dim: 1, end_dim: -1 }, [x]);
    return [out(ref, shapes[0]!, x.dtype)];
  }
  return reshaped(v, x, [size(x.shape.slice(0, axis)), size(x.shape.slice(axis))]);
}

/** Transpose by perm (default: reversed). */
export function transposeNode(v: NodeView): Value[] | undefined {
  const x = v.input(0);
  if (!x?.shape) return undefined;
  const perm = v.ints('perm') ?? x.shape.map((_, i) => x.shape!.length - 1 - i);
  const { ref, shapes } = v.m.emit('permute', { dims: [...perm] }, [x]);
  return [out(ref, shapes[0]!, x.dtype)];
}

/** Squeeze and Unsqueeze (axes as an attribute before opset 13, an input from 13). */
export function squeezeNode(unsqueeze: boolean) {
  return (v: NodeView): Value[] | undefined => {
    const x = v.input(0);
    if (!x?.shape) return undefined;
    const axes = v.opset >= 13 ? (v.node.inputs[1] ? v.known(1) : undefined) : v.ints('axes');
    if (unsqueeze && !axes) return undefined;
    if (!unsqueeze && !axes && v.node.inputs[1]) return undefined;
    const r = x.shape.length + (unsqueeze ? (axes?.length ?? 0) : 0);
    const set = new Set((axes ?? []).map((a) => (a < 0 ? a + r : a)));
    if ([...set].some((a) => a < 0 || a >= r)) throw v.m.fail(`axes [${axes!.join(', ')}] are out of range for rank ${r}`, 'shape');
    if (unsqueeze) {
      if (set.size === 1) {
        const { ref, shapes } = v.m.emit('unsqueeze', { dim: [...set][0] }, [x]);
        return [out(ref, shapes[0]!, x.dtype)];
      }
      const shape: number[] = [];
      for (let i = 0, j = 0; i < r; i++) shape.push(set.has(i) ? 1 : x.shape[j++]!);
      return reshaped(v, x, shape);
    }
    const drop = axes ? set : new Set(x.shape.flatMap((d, i) => (d === 1 ? [i] : [])));
    if ([...drop].some((a) => x.shape![a] !== 1)) throw v.m.fail(`squeezes axes [${[...drop].join(', ')}] of [${x.shape.join(', ')}], but only size-1 axes can be squeezed`, 'shape');
    if (drop.size === 1) {
      const { ref, shapes } = v.m.emit('squeeze', { dim: [...drop][0] }, [x]);
      return [out(ref, shapes[0]!, x.dtype)];
    }
    return reshaped(v, x, x.shape.filter((_, i) => !drop.has(i)));
  };
}

/** Gather: a lookup in a stored 2-D table is an Embedding; known indices select positions of a tensor. */
export function gatherNode(v: NodeView): Value[] | undefined {
  const [data, indices] = [v.input(0), v.input(1)];
  if (!data?.shape || !indices?.shape) return undefined;
  const axis = v.int('axis', 0);
  if (data.stored && indices.ref !== undefined && data.shape.length === 2 && (axis === 0 || axis === -2) && Lowering.learned(data)) {
    const { ref, shapes } = v.m.emit('embedding', { num_embeddings: data.shape[0], embedding_dim: data.shape[1] }, [indices], [['weight', data]]);
    return [out(ref, shapes[0]!, data.dtype)];
  }
  const scalar = indices.known && indices.shape.length === 0 ? indices.known.values[0] : undefined;
  const attrs = scalar !== undefined ? { dim: axis, index: scalar } : { dim: axis, index_shape: [...indices.shape] };
  const { ref, shapes } = v.m.emit('select', attrs, [data]);
  return [out(ref, shapes[0]!, data.dtype)];
}

/** Slice with known starts, ends, axes and steps (inputs from opset 10, attributes before). */
export function sliceNode(v: NodeView): Value[] | undefined {
  const x = v.input(0);
  if (!x?.shape) return undefined;
  const starts = v.listFrom(1, 'starts');
  const ends = v.listFrom(2, 'ends');
  const axes = v.listFrom(3, 'axes') ?? starts?.map((_, i) => i);
  const steps = v.opset >= 10 ? (v.node.inputs[4] ? v.known(4) : starts?.map(() => 1)) : starts?.map(() => 1);
  if (!starts || !ends || !axes || !steps || ends.length !== starts.length) return undefined;
  // Ends like INT64_MAX mean "to the end": clamp every position into [−dim − 1, dim] first, which keeps its meaning.
  const dims = axes.map((a) => x.shape![a < 0 ? a + x.shape!.length : a]);
  if (dims.some((d) => d === undefined)) throw v.m.fail(`slices axes [${axes.join(', ')}] of the ${x.shape.length}-D input [${x.shape.join(', ')}]`, 'shape');
  const clamp = (p: number, d: number) => Math.min(Math.max(p, -d - 1), d);
  const attrs = {
    dims: [...axes],
    starts: starts.map((s, i) => clamp(s, dims[i]!)),
    ends: ends.map((e, i) => clamp(e, dims[i]!)),
    steps: [...steps],
  };
  const { ref, shapes } = v.m.emit('slice', attrs, [x]);
  return [out(ref, shapes[0]!, x.dtype)];
}

const PAD_MODES: Readonly<Record<string, string>> = { constant: 'constant', reflect: 'reflect', edge: 'replicate', wrap: 'circular' };

/** Pad: ONNX's [begin of each axis…, end of each axis…] become F.pad's pairs from the last axis back. */
export function padNode(v: NodeView): Value[] | undefined {
  const x = v.input(0);
  const pads = v.opset >= 11 ? v.known(1) : v.ints('pads');
  const mode = PAD_MODES[v.str('mode', 'constant')];
  if (!x?.shape || !pads || !mode || v.node.inputs[3] || pads.length !== 2 * x.shape.length) return undefined;
  const r = x.shape.length;
  const pairs: number[] = [];
  for (let i = r - 1; i >= 0; i--) pairs.push(pads[i]!, pads[r + i]!);
  // Trailing pairs of zeros (the leading axes) are left out, as F.pad writes it.
  while (pairs.length > 2 && pairs[pairs.length - 1] === 0 && pairs[pairs.length - 2] === 0) pairs.length -= 2;
  const { ref, shapes } = v.m.emit('pad', { pad: pairs, mode }, [x]);
  return [out(ref, shapes[0]!, x.dtype)];
}

/** Split into pieces given by `split` (input from opset 13), or equal pieces, one per output. */
export function splitNode(v: NodeView): Value[] | undefined {
  const x = v.input(0);
  if (!x?.shape) return undefined;
  const r = x.shape.length;
  const axis = v.int('axis', 0) < 0 ? v.int('axis', 0) + r : v.int('axis', 0);
  const size = x.shape[axis];
  if (size === undefined) return undefined;
  const n = v.node.outputs.length;
  const given = v.opset >= 13 ? (v.node.inputs[1] ? v.known(1) : undefined) : v.ints('split');
  if (v.opset >= 13 && v.node.inputs[1] && !given) return undefined;
  const piece = Math.ceil(size / n);
  const sizes = given ?? Array.from({ length: n }, (_, i) => Math.max(0, Math.min(piece, size - i * piece)));
  if (sizes.length !== n || sizes.some((s) => s < 1)) return undefined;
  const { ref, shapes } = v.m.emit('split', { dim: axis, sizes: [...sizes] }, [x]);
  return shapes.map((s, i) => out(`${ref}:${i}`, s, x.dtype));
}

/** DepthToSpace and SpaceToDepth are PixelShuffle and PixelUnshuffle (the DCR and CRD orders move the same values). */
export function depthSpace(up: boolean) {
  return (v: NodeView): Value[] | undefined => {
    const x = v.input(0);
    const b = v.int('blocksize', 0);
    if (!x?.shape || b < 1) return undefined;
    const { ref, shapes } = v.m.emit(up ? 'pixel_shuffle' : 'pixel_unshuffle', up ? { upscale_factor: b } : { downscale_factor: b }, [x]);
    return [out(ref, shapes[0]!, x.dtype)];
  };
}

/** Dropout (inference: the identity), with its ratio. */
export function dropoutNode(v: NodeView): Value[] | undefined {
  const x = v.input(0);
  if (!x?.shape) return undefined;
  const p = v.opset >= 12 ? (v.known(1)?.[0] ?? 0.5) : v.float('ratio', 0.5);
  const { ref, shapes } = v.m.emit('dropout', { p: p >= 0 && p <= 1 ? p : 0.5 }, [x]);
  return [out(ref, shapes[0]!, x.dtype)];
}
