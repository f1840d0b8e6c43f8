/**
 * @module
 * PReLU (He et al. 2015): a leaky ReLU whose negative slope is learned, shared by all channels
 * (num_parameters 1, PyTorch's default) or one per channel (num_parameters C, read from dimension 1).
 */
import { lit, term } from '../count.js';
import { defineOp, elements } from './op.js';
import { shapeError } from './spatial.js';

export const prelu = defineOp<{ num_parameters: number }>({
  kind: 'prelu',
  title: 'PReLU',
  doc: 'x if x > 0, else a·x with a learned slope a: weight [1] shared, or [C] per channel (num_parameters). FLOPs: 1 per element, as other activations.',
  attrs: (r) => {
    if (r.has('init')) r.num('init');
    return { num_parameters: r.int('num_parameters', { min: 1, default: 1 }) };
  },
  shape(a, [x]) {
    const c = x!.length >= 2 ? x![1]! : x![0]!;
    if (a.num_parameters !== 1 && a.num_parameters !== c) {
      throw shapeError(`prelu needs num_parameters 1 (one shared slope) or the number of channels, ${c}. Received: num_parameters=${a.num_parameters}.`, [
        `Channels are dimension 1 of the input [${x!.join(', ')}].`,
      ]);
    }
    return [x!];
  },
  weights: (a) => [{ name: 'weight', shape: [a.num_parameters], dims: ['C'], count: a.num_parameters === 1 ? lit(1) : term('C', a.num_parameters) }],
  flops: (_, [x]) => elements(x!),
  label: () => 'prelu',
});
