/**
 * @module
 * Element-wise activations, exp, softmax and log-softmax: no parameters, no MACs.
 * FLOPs: one per element for every activation and exp (transcendental functions count as one), three per element for
 * softmax (exp, sum, divide), and for log-softmax three per element (exp, sum, subtract) plus one log per slice.
 */
import { add, mul, term } from '../count.js';
import { defineOp, elements, numel, type OpDef } from './op.js';
import { readDim } from './attrs.js';
import { shapeError } from './spatial.js';

/** An activation's settings that matter to nncalc: whether it runs in place (PyTorch's inplace=True), for memory. */
type Activation = { readonly inplace?: true };

/** An element-wise op; `extra` lists its numeric settings and `choices` its string ones, none of which changes a count. */
function activation(kind: string, title: string, doc: string, extra: readonly string[] = [], choices: Readonly<Record<string, readonly string[]>> = {}): OpDef<Activation> {
  return defineOp<Activation>({
    kind,
    title,
    doc: `${doc} No parameters. FLOPs: 1 per element.`,
    attrs(r) {
      for (const key of extra) if (r.has(key)) r.num(key);
      for (const [key, values] of Object.entries(choices)) if (r.has(key)) r.oneOf(key, values);
      // In place, the output takes no new memory (it overwrites the input); no count changes.
      return r.has('inplace') && r.bool('inplace', false) ? { inplace: true } : {};
    },
    shape: (_, [x]) => [x!],
    flops: (_, [x]) => elements(x!),
    label: () => kind,
  });
}

export const relu = activation('relu', 'ReLU', 'max(x, 0).');
export const relu6 = activation('relu6', 'ReLU6', 'min(max(x, 0), 6).');
export const leakyRelu = activation('leaky_relu', 'LeakyReLU', 'x if x > 0, else slope·x.', ['negative_slope']);
export const elu = activation('elu', 'ELU', 'x if x > 0, else α·(eˣ − 1).', ['alpha']);
export const gelu = activation('gelu', 'GELU', 'Gaussian error linear unit.', [], { approximate: ['none', 'tanh'] });
export const silu = activation('silu', 'SiLU', 'x·σ(x) (swish).');
export const sigmoid = activation('sigmoid', 'Sigmoid', '1/(1 + e⁻ˣ).');
export const tanh = activation('tanh', 'Tanh', 'Hyperbolic tangent.');
export const hardswish = activation('hardswish', 'Hardswish', 'x·relu6(x + 3)/6.');
export const hardsigmoid = activation('hardsigmoid', 'Hardsigmoid', 'relu6(x + 3)/6.');
export const softplus = activation('softplus', 'Softplus', 'log(1 + eˣ).', ['beta', 'threshold']);
export const mish = activation('mish', 'Mish', 'x·tanh(softplus(x)).');
export const exp = activation('exp', 'Exp', 'eˣ (torch.exp).');

/** The dimension a softmax-like op normalises, checked against the input's rank. */
function softmaxDim(kind: string, dim: number, x: readonly number[]): number {
  if (dim < -x.length || dim >= x.length) {
    throw shapeError(`${kind} dim ${dim} is out of range for the ${x.length}-D input [${x.join(', ')}]: expected ${-x.length}…${x.length - 1}.`);
  }
  return dim < 0 ? dim + x.length : dim;
}

export const softmax = defineOp<{ dim: number }>({
  kind: 'softmax',
  title: 'Softmax',
  doc: 'Normalised exponentials along one dimension (default: the last). No parameters. FLOPs: 3 per element.',
  attrs: (r) => ({ dim: readDim(r, 'dim', -1) }),
  shape(a, [x]) {
    softmaxDim('softmax', a.dim, x!);
    return [x!];
  },
  flops: (_, [x]) => mul(elements(x!), term('3', 3)),
  label: () => 'soft-max',
});

export const logSoftmax = defineOp<{ dim: number }>({
  kind: 'log_softmax',
  title: 'LogSoftmax',
  doc: 'log(softmax(x)) along one dimension (default: the last), computed as x − log Σ eˣ. No parameters. FLOPs: 3 per element (exp, sum, subtract) + 1 log per slice.',
  attrs: (r) => ({ dim: readDim(r, 'dim', -1) }),
  shape(a, [x]) {
    softmaxDim('log_softmax', a.dim, x!);
    return [x!];
  },
  flops(a, [x]) {
    const d = softmaxDim('log_softmax', a.dim, x!);
    // One log per slice along dim: numel / size of dim.
    const slices = numel(x!.filter((_, i) => i !== d));
    return add(mul(elements(x!), term('3', 3)), term('slices', slices));
  },
  label: () => 'log-softmax',
});
