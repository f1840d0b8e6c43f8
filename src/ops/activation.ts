/**
 * @module
 * Element-wise activations and softmax: no parameters, no MACs.
 * FLOPs: one per element for every activation (transcendental functions count as one), three for softmax (exp, sum, divide).
 */
import { mul, term } from '../count.js';
import { defineOp, elements, type OpDef } from './op.js';
import { readDim } from './attrs.js';
import { shapeError } from './spatial.js';

type Empty = Readonly<Record<string, never>>;

function activation(kind: string, title: string, doc: string, extra: readonly string[] = []): OpDef<Empty> {
  return defineOp<Empty>({
    kind,
    title,
    doc: `${doc} No parameters. FLOPs: 1 per element.`,
    attrs(r) {
      for (const key of extra) if (r.has(key)) r.num(key);
      if (r.has('inplace')) r.bool('inplace', false);
      return {};
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
export const gelu = activation('gelu', 'GELU', 'Gaussian error linear unit.');
export const silu = activation('silu', 'SiLU', 'x·σ(x) (swish).');
export const sigmoid = activation('sigmoid', 'Sigmoid', '1/(1 + e⁻ˣ).');
export const tanh = activation('tanh', 'Tanh', 'Hyperbolic tangent.');
export const hardswish = activation('hardswish', 'Hardswish', 'x·relu6(x + 3)/6.');
export const hardsigmoid = activation('hardsigmoid', 'Hardsigmoid', 'relu6(x + 3)/6.');
export const softplus = activation('softplus', 'Softplus', 'log(1 + eˣ).', ['beta', 'threshold']);
export const mish = activation('mish', 'Mish', 'x·tanh(softplus(x)).');

export const softmax = defineOp<{ dim: number }>({
  kind: 'softmax',
  title: 'Softmax',
  doc: 'Normalised exponentials along one dimension (default: the last). No parameters. FLOPs: 3 per element.',
  attrs: (r) => ({ dim: readDim(r, 'dim', -1) }),
  shape(a, [x]) {
    if (a.dim < -x!.length || a.dim >= x!.length) {
      throw shapeError(`softmax dim ${a.dim} is out of range for the ${x!.length}-D input [${x!.join(', ')}]: expected ${-x!.length}…${x!.length - 1}.`);
    }
    return [x!];
  },
  flops: (_, [x]) => mul(elements(x!), term('3', 3)),
  label: () => 'soft-max',
});
