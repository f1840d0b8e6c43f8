/**
 * @module
 * LeNet-5, in two forms.
 *
 * `lenet5-1998` is the network of LeCun, Bottou, Bengio & Haffner, "Gradient-Based Learning Applied to
 * Document Recognition", Proc. IEEE 86(11), 1998, §II.B, layer by layer on a 32×32 input:
 * - C1: 6 maps, 5×5 convolution → 28×28 (156 parameters);
 * - S2: 2×2 subsampling, each map's window sum times a trainable coefficient plus a trainable bias (12);
 * - C3: 16 maps, 5×5, each seeing only the S2 maps Table I lists: 6 maps see 3, 9 see 4, 1 sees all 6 (1,516);
 * - S4: as S2 on 16 maps (32);
 * - C5: 120 maps, 5×5 over all 16 S4 maps → 1×1 (48,120);
 * - F6: 84 units fully connected (10,164);
 * - output: 10 Euclidean RBF units with 84 inputs each, whose centres are fixed, not learned (840).
 * Every layer up to F6 is followed by the squashing function f(a) = A·tanh(S·a), A = 1.7159, S = 2/3, which
 * has no parameters; nncalc counts it as a tanh. The trainable total is the paper's 60,000; with the RBF
 * centres, 60,840 parameters.
 *
 * `lenet5` is the variant most textbooks and tutorials call LeNet-5 (PyTorch's "Neural Networks" tutorial has
 * the same convolutions and FC layers, without the softmax). What makes it modern: C3 sees all six maps (2,416 parameters instead of 1,516); pooling is
 * plain max pooling with no coefficient or bias (average pooling would count the same); ReLU instead of the
 * scaled tanh (tanh would count the same); and a 10-way fully connected layer with softmax replaces the RBF
 * units (850 trainable parameters instead of 840 fixed ones). Total 61,706.
 */
import { parseNotation } from '../describe/notation.js';
import { op, type OpSpec, type Spec } from '../describe/spec.js';
import type { ZooEntry } from './entry.js';

const paper = 'LeCun, Bottou, Bengio & Haffner, "Gradient-Based Learning Applied to Document Recognition", Proc. IEEE 1998, §II.B';

/**
 * Table I of the paper: for each C3 map, the S2 maps it sees. Maps 0–5 see three contiguous maps,
 * 6–11 four contiguous maps, 12–14 four discontinuous maps, and map 15 all six.
 */
export const lenetTableI: readonly (readonly number[])[] = [
  [0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5], [4, 5, 0], [5, 0, 1],
  [0, 1, 2, 3], [1, 2, 3, 4], [2, 3, 4, 5], [3, 4, 5, 0], [4, 5, 0, 1], [5, 0, 1, 2],
  [0, 1, 3, 4], [1, 2, 4, 5], [0, 2, 3, 5],
  [0, 1, 2, 3, 4, 5],
];

/** The paper's squashing function after a layer. */
const squash = (name: string): OpSpec => op('tanh', {}, { name, label: '1.7159·tanh(2a/3)' });

function lenet1998(): Spec {
  return {
    name: 'lenet5-1998',
    input: [1, 1, 32, 32],
    source: paper,
    layers: [
      op('conv2d', { out: 6, kernel: 5 }, { name: 'C1' }),
      squash('f1'),
      op('subsample2d', { kernel: 2 }, { name: 'S2' }),
      squash('f2'),
      op('table_conv2d', { out: 16, kernel: 5, fan_in: lenetTableI.map((m) => m.length), connections: lenetTableI.flat() }, { name: 'C3' }),
      squash('f3'),
      op('subsample2d', { kernel: 2 }, { name: 'S4' }),
      squash('f4'),
      op('conv2d', { out: 120, kernel: 5 }, { name: 'C5' }),
      squash('f5'),
      op('flatten', {}, { name: 'flatten', implicit: true }),
      op('linear', { out: 84 }, { name: 'F6' }),
      squash('f6'),
      op('rbf', { units: 10, trainable: false }, { name: 'output' }),
    ],
    notes: [
      'f = A·tanh(S·a) with A = 1.7159, S = 2/3 follows every layer up to F6; it has no parameters and is counted as a tanh',
      'S2 and S4 add each 2×2 window, multiply by a trainable coefficient and add a trainable bias, per map',
      'C3 connects each of its 16 maps to the S2 maps of Table I only',
      'the 10 RBF output units have fixed centres: 840 non-trainable parameters',
    ],
  };
}

function lenetModern(): Spec {
  const text = '32x32x1, conv5-6, maxpool, conv5-16, maxpool, FC-120, FC-84, FC-10, soft-max';
  return {
    ...parseNotation(text, { name: 'lenet5', padding: 'valid' }),
    source: `${paper}, as commonly simplified (full C3, max pooling, ReLU, softmax)`,
  };
}

export const lenet: readonly ZooEntry[] = [
  {
    name: 'lenet5',
    title: 'LeNet-5 as textbooks write it: full C3, max pooling, ReLU, FC-10 with softmax',
    source: `${paper}, as commonly simplified`,
    spec: lenetModern,
  },
  {
    name: 'lenet5-1998',
    title: 'LeNet-5 as the 1998 paper builds it: partial C3 (Table I), trainable subsampling, fixed RBF outputs',
    source: paper,
    // The paper's count is of trainable parameters; the 840 fixed RBF centres come on top.
    published: 60000,
    spec: lenet1998,
  },
];
