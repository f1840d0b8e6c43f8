/**
 * @module
 * ONNX's layers with weights or windows, onto nncalc's ops: Conv, ConvTranspose, Gemm, MatMul, the
 * normalisations, the pools and the activations. ONNX's own attribute rules are applied here exactly:
 * asymmetric pads (begin…, end…), auto_pad SAME_UPPER/SAME_LOWER/VALID, pooling strides that default to 1,
 * Gemm's transA/transB, ConvTranspose's output_shape, Softmax's default axis before opset 13.
 * A mapping returns the values of the node's outputs, or undefined when the node is outside what it handles
 * (the node then becomes a custom layer).
 */
import { size } from '../../ops/op.js';
import type { NodeView } from './attrs.js';
import type { Value } from './lowering.js';

/** A layer output as a value. */
export const out = (ref: string, shape: readonly number[], dtype: number | undefined): Value => ({ ref, shape, dtype });

const ones = (n: number): number[] => Array<number>(n).fill(1);

/** Explicit [begin…, end…] pads for a window, from pads or auto_pad (SAME pads so that out = ⌈in/s⌉, the extra one after for SAME_UPPER). */
function windowPads(v: NodeView, spatial: readonly number[], kernel: readonly number[], stride: readonly number[], dilation: readonly number[]): number[] {
  const auto = v.str('auto_pad', 'NOTSET');
  const rank = spatial.length;
  if (auto === 'SAME_UPPER' || auto === 'SAME_LOWER') {
    const total = spatial.map((size, i) => Math.max((Math.ceil(size / stride[i]!) - 1) * stride[i]! + dilation[i]! * (kernel[i]! - 1) + 1 - size, 0));
    const small = total.map((t) => Math.floor(t / 2));
    const begin = auto === 'SAME_UPPER' ? small : total.map((t, i) => t - small[i]!);
    return [...begin, ...total.map((t, i) => t - begin[i]!)];
  }
  if (auto === 'VALID') return Array<number>(2 * rank).fill(0);
  if (auto !== 'NOTSET') throw v.m.fail(`has auto_pad '${auto}'; ONNX defines NOTSET, SAME_UPPER, SAME_LOWER and VALID`, 'file');
  const pads = v.ints('pads') ?? Array<number>(2 * rank).fill(0);
  if (pads.length !== 2 * rank) throw v.m.fail(`has ${pads.length} pads for ${rank} spatial axes; ONNX lists ${2 * rank} (begin of each, then end of each)`, 'file');
  return pads.slice();
}

/** nncalc's conv op by the number of spatial axes. */
const CONV = ['', 'conv1d', 'conv2d', 'conv3d'];

/** Conv: weight [M, C/group, k…], optional bias [M]. */
export function conv(v: NodeView): Value[] | undefined {
  const x = v.input(0);
  const w = v.input(1);
  const b = v.input(2);
  if (!x?.shape || !w?.stored || !w.shape || (b && !b.stored)) return undefined;
  const rank = x.shape.length - 2;
  if (rank < 1 || rank > 3 || w.shape.length !== rank + 2) return undefined;
  // Lists from the node's attributes are copied: the layer keeps its own.
  const kernel = v.ints('kernel_shape')?.slice() ?? w.shape.slice(2);
  const stride = v.ints('strides')?.slice() ?? ones(rank);
  const dilation = v.ints('dilations')?.slice() ?? ones(rank);
  const pads = windowPads(v, x.shape.slice(2), kernel, stride, dilation);
  const attrs = { out: w.shape[0], kernel, stride, dilation, groups: v.int('group', 1), bias: !!b, pads };
  const weights: [string, Value][] = b ? [['weight', w], ['bias', b]] : [['weight', w]];
  const { ref, shapes } = v.m.emit(CONV[rank]!, attrs, [x], weights);
  return [out(ref, shapes[0]!, x.dtype)];
}

/** ConvTranspose: weight [C, M/group, k…]; output_shape or auto_pad set the pads. */
export function convTranspose(v: NodeView): Value[] | undefined {
  const [x, w, b] = [v.input(0), v.input(1), v.input(2)];
  if (!x?.shape || !w?.stored || !w.shape || (b && !b.stored)) return undefined;
  const rank = x.shape.length - 2;
  if (rank < 1 || rank > 3 || w.shape.length !== rank + 2) return undefined;
  const group = v.int('group', 1);
  const kernel = v.ints('kernel_shape') ?? w.shape.slice(2);
  const stride = v.ints('strides') ?? ones(rank);
  const dilation = v.ints('dilations') ?? ones(rank);
  const outputPadding = [...(v.ints('output_padding') ?? Array<number>(rank).fill(0))];
  const spatial = x.shape.slice(2);
  const auto = v.str('auto_pad', 'NOTSET');
  const target = v.ints('output_shape')?.slice(-rank) ?? (auto.startsWith('SAME') ? spatial.map((s, i) => s * stride[i]!) : undefined);
  let pads: number[];
  if (target) {
    // onnx's rule: total padding = s·(in − 1) + output_padding + (k − 1)·d + 1 − out; SAME_UPPER puts the larger half at the end.
    const total = spatial.map((s, i) => stride[i]! * (s - 1) + outputPadding[i]! + (kernel[i]! - 1) * dilation[i]! + 1 - target[i]!);
    if (total.some((t) => t < 0)) return undefined;
    const half = total.map((t) => Math.floor(t / 2));
    const begin = auto === 'SAME_UPPER' ? half : total.map((t, i) => t - half[i]!);
    pads = [...begin, ...total.map((t, i) => t - begin[i]!)];
  } else pads = [...(v.ints('pads') ?? Array<number>(2 * rank).fill(0))];
  const attrs = { out: w.shape[1]! * group, kernel: [...kernel], stride: [...stride], dilation: [...dilation], groups: group, bias: !!b, pads, output_padding: outputPadding };
  const { ref, shapes } = v.m.emit(`conv_transpose${rank}d`, attrs, [x], [['weight', w], ...(b ? [['bias', b] as [string, Value]] : [])]);
  return [out(ref, shapes[0]!, x.dtype)];
}

/** Gemm: Y = A′·B′ + C with B′ = Bᵀ when transB; a stored B is a linear layer, C its bias when it has N values. */
export function gemm(v: NodeView): Value[] | undefined {
  const [a, b, c] = [v.input(0), v.input(1), v.input(2)];
  if (!a?.shape || a.shape.length !== 2 || !b?.stored || b.shape?.length !== 2 || (c && !c.stored)) return undefined;
  const [k, n] = v.int('transB', 0) ? [b.shape[1]!, b.shape[0]!] : [b.shape[0]!, b.shape[1]!];
  const x: Value = v.int('transA', 0) ? out(v.m.emit('permute', { dims: [1, 0] }, [a], [], 'transA').ref, [a.shape[1]!, a.shape[0]!], a.dtype) : a;
  const bias = c?.shape !== undefined && size(c.shape) === n && c.shape.length <= 2;
  const { ref, shapes } = v.m.emit('linear', { out: n, in: k, bias }, [x], [['weight', b], ...(bias ? [['bias', c!] as [string, Value]] : [])]);
  const y = out(ref, shapes[0]!, a.dtype);
  if (!c || bias) return [y];
  // A C that is not one bias per output (a scalar, or an [M, N] matrix) is added after the product.
  const added = v.m.emit('add', { constant: [...c.shape!] }, [y]);
  return [out(added.ref, added.shapes[0]!, a.dtype)];
}

/** MatMul: with a stored 2-D right operand it is a linear layer without bias (an Add may bring the bias), else a product of two tensors. */
export function matmul(v: NodeView): Value[] | undefined {
  const [a, b] = [v.input(0), v.input(1)];
  if (!a?.shape || !b?.shape) return undefined;
  if (a.ref !== undefined && b.stored && b.shape.length === 2 && a.shape.length >= 2) {
    const { ref, shapes } = v.m.emit('linear', { out: b.shape[1]!, in: b.shape[0]!, bias: false }, [a], [['weight', b]]);
    return [out(ref, shapes[0]!, a.dtype)];
  }
  const { ref, shapes } = v.m.emit('matmul', {}, [a, b]);
  return [out(ref, shapes[0]!, a.dtype)];
}

/** BatchNormalization (inference): scale and B are parameters, mean and var running statistics. */
export function batchNorm(v: NodeView): Value[] | undefined {
  const x = v.input(0);
  const ws = [1, 2, 3, 4].map((i) => v.input(i));
  if (!x?.shape || ws.some((w) => !w?.stored)) return undefined;
  const rank = x.shape.length;
  const kind = rank === 2 || rank === 3 ? 'batchnorm1d' : rank === 4 ? 'batchnorm2d' : rank === 5 ? 'batchnorm3d' : undefined;
  if (!kind) return undefined;
  const names = ['weight', 'bias', 'running_mean', 'running_var'];
  const { ref, shapes } = v.m.emit(kind, { eps: v.float('epsilon', 1e-5) }, [x], ws.map((w, i) => [names[i]!, w!]));
  return [out(ref, shapes[0]!, x.dtype)];
}

/** LayerNormalization (opset 17): normalises the dimensions from `axis` on; Scale and optional B of that shape. */
export function layerNorm(v: NodeView): Value[] | undefined {
  const [x, scale, b] = [v.input(0), v.input(1), v.input(2)];
  if (!x?.shape || !scale?.stored || (b && !b.stored)) return undefined;
  const axis = v.int('axis', -1);
  const from = axis < 0 ? axis + x.shape.length : axis;
  if (from < 0 || from >= x.shape.length) return undefined;
  const attrs = { dims: x.shape.length - from, eps: v.float('epsilon', 1e-5), bias: !!b };
  const { ref, shapes } = v.m.emit('layernorm', attrs, [x], [['weight', scale], ...(b ? [['bias', b] as [string, Value]] : [])]);
  return [out(ref, shapes[0]!, x.dtype)];
}

/** InstanceNormalization: scale and B per channel. */
export function instanceNorm(v: NodeView): Value[] | undefined {
  const [x, scale, b] = [v.input(0), v.input(1), v.input(2)];
  const rank = (x?.shape?.length ?? 0) - 2;
  if (!x?.shape || !scale?.stored || !b?.stored || rank < 1 || rank > 3) return undefined;
  const { ref, shapes } = v.m.emit(`instancenorm${rank}d`, { eps: v.float('epsilon', 1e-5), affine: true }, [x], [['weight', scale], ['bias', b]]);
  return [out(ref, shapes[0]!, x.dtype)];
}

/** MaxPool and AveragePool: ONNX's strides default to 1, not to the kernel. */
export function pool(kind: 'max' | 'avg') {
  return (v: NodeView): Value[] | undefined => {
    const x = v.input(0);
    const kernel = v.ints('kernel_shape');
    const rank = (x?.shape?.length ?? 0) - 2;
    if (!x?.shape || !kernel || rank < 1 || rank > 3 || kernel.length !== rank) return undefined;
    const stride = v.ints('strides') ?? ones(rank);
    const dilation = v.ints('dilations') ?? ones(rank);
    if (kind === 'avg' && dilation.some((d) => d !== 1)) return undefined;
    const pads = windowPads(v, x.shape.slice(2), kernel, stride, dilation);
    const attrs: Record<string, unknown> = { kernel: [...kernel], stride: [...stride], pads, ceil_mode: v.int('ceil_mode', 0) === 1 };
    if (kind === 'max') attrs['dilation'] = [...dilation];
    else attrs['count_include_pad'] = v.int('count_include_pad', 0) === 1;
    const { ref, shapes } = v.m.emit(`${kind}pool${rank}d`, attrs, [x]);
    return [out(ref, shapes[0]!, x.dtype)];
  };
}

/** GlobalAveragePool and GlobalMaxPool keep the spatial axes as 1s. */
export function globalPool(kind: 'max' | 'avg') {
  return (v: NodeView): Value[] | undefined => {
    const x = v.input(0);
    if (!x?.shape || x.shape.length < 3) return undefined;
    const { ref, shapes } = v.m.emit(`global_${kind}pool`, { keepdims: true }, [x]);
    return [out(ref, shapes[0]!, x.dtype)];
  };
}

/** ReduceMean over every spatial axis of (N, C, …) is a global average pool (PyTorch's adaptive pool to 1, `x.mean((2, 3))`). */
export function reduceMean(v: NodeView): Value[] | undefined {
  const x = v.input(0);
  const axes = v.opset >= 18 ? v.known(1) : v.ints('axes');
  if (!x?.shape || x.shape.length < 3 || !axes) return undefined;
  const r = x.shape.length;
  const set = new Set(axes.map((a) => (a < 0 ? a + r : a)));
  if (set.size !== r - 2 || [...set].some((a) => a < 2 || a >= r)) return undefined;
  const { ref, shapes } = v.m.emit('global_avgpool', { keepdims: v.int('keepdims', 1) === 1 }, [x]);
  return [out(ref, shapes[0]!, x.dtype)];
}

/** ReduceMean, ReduceSum, ReduceMax, …: a reduction over the axes (an attribute before opset 18, an input from 18; ReduceSum from 13). */
export function reduceNode(v: NodeView): Value[] | undefined {
  const x = v.input(0);
  if (!x?.shape) return undefined;
  const fromInput = v.opset >= 18 || (v.node.opType === 'ReduceSum' && v.opset >= 13);
  const axes = fromInput ? (v.node.inputs[1] ? v.known(1) : []) : (v.ints('axes') ?? []);
  if (!axes) return undefined;
  if (axes.length === 0 && v.int('noop_with_empty_axes', 0) === 1) return [x];
  if (v.node.opType === 'ReduceMean') {
    const pooled = reduceMean(v);
    if (pooled) return pooled;
  }
  const fn = v.node.opType.slice('Reduce'.length).toLowerCase();
  const { ref, shapes } = v.m.emit('reduce', { fn, dims: [...axes], keepdims: v.int('keepdims', 1) === 1 }, [x]);
  return [out(ref, shapes[0]!, x.dtype)];
}

/** A one-to-one activation, with the attributes nncalc's op takes. */
export function activation(kind: string, attrs: (v: NodeView) => Record<string, unknown> = () => ({})) {
  return (v: NodeView): Value[] | undefined => {
    const x = v.input(0);
    if (!x?.shape) return undefined;
    const { ref, shapes } = v.m.emit(kind, attrs(v), [x]);
    return [out(ref, shapes[0]!, x.dtype)];
  };
}

/** Clip: [0, 6] is ReLU6 and [0, ∞) ReLU; other bounds are an element-wise clip. */
export function clip(v: NodeView): Value[] | undefined {
  const x = v.input(0);
  if (!x?.shape) return undefined;
  const [lo, hi] = v.opset >= 11 ? [v.known(1)?.[0], v.known(2)?.[0]] : [v.floats('min')?.[0], v.floats('max')?.[0]];
  const known = (i: number) => v.opset < 11 || !v.node.inputs[i] || v.known(i) !== undefined;
  const kind = known(1) && known(2) && lo === 0 ? (hi === 6 ? 'relu6' : hi === undefined ? 'relu' : undefined) : undefined;
  const { ref, shapes } = kind ? v.m.emit(kind, {}, [x]) : v.m.emit('elementwise', { fn: 'clip' }, [x]);
  return [out(ref, shapes[0]!, x.dtype)];
}

/** Softmax along `axis` (default 1 before opset 13, −1 from 13). */
export function softmax(v: NodeView): Value[] | undefined {
  const x = v.input(0);
  if (!x?.shape) return undefined;
  const { ref, shapes } = v.m.emit('softmax', { dim: v.int('axis', v.opset >= 13 ? -1 : 1) }, [x]);
  return [out(ref, shapes[0]!, x.dtype)];
}

/** PRelu: a stored slope of 1 or C values. */
export function prelu(v: NodeView): Value[] | undefined {
  const [x, slope] = [v.input(0), v.input(1)];
  if (!x?.shape || !slope?.stored || !slope.shape) return undefined;
  const { ref, shapes } = v.m.emit('prelu', { num_parameters: size(slope.shape) }, [x], [['weight', slope]]);
  return [out(ref, shapes[0]!, x.dtype)];
}

/** Resize (opset 10+) and Upsample: to `sizes`, or by `scales` on the spatial axes (N and C unscaled). */
export function resize(v: NodeView): Value[] | undefined {
  const x = v.input(0);
  if (!x?.shape || x.shape.length < 3 || v.has('axes')) return undefined;
  const resizeOp = v.node.opType === 'Resize';
  const scales = resizeOp && v.opset >= 11 ? v.known(2) : v.opset >= 9 || resizeOp ? v.known(1) : v.floats('scales');
  const sizes = resizeOp && v.opset >= 11 && v.node.inputs[3] ? v.known(3) : undefined;
  const rank = x.shape.length - 2;
  const modeName = v.str('mode', 'nearest');
  const mode = modeName === 'nearest' ? 'nearest' : modeName === 'cubic' ? 'bicubic' : modeName === 'linear' || modeName === 'bilinear' ? ['linear', 'bilinear', 'trilinear'][rank - 1] : undefined;
  if (!mode) return undefined;
  const attrs: Record<string, unknown> = { mode };
  if (sizes && sizes.length === x.shape.length && sizes[0] === x.shape[0] && sizes[1] === x.shape[1]) attrs['size'] = sizes.slice(2);
  else if (scales && scales.length === x.shape.length && scales[0] === 1 && scales[1] === 1) attrs['scale_factor'] = scales.slice(2);
  else return undefined;
  if (mode !== 'nearest' && v.str('coordinate_transformation_mode', 'half_pixel') === 'align_corners') attrs['align_corners'] = true;
  const { ref, shapes } = v.m.emit('upsample', attrs, [x]);
  return [out(ref, shapes[0]!, x.dtype)];
}
