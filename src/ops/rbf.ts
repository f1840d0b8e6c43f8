/**
 * @module
 * Euclidean radial basis function units, LeNet-5's output layer (LeCun et al. 1998, §II.B):
 * unit i outputs y_i = Σ_j (x_j − w_ij)², the squared distance of the input to its centre w_i.
 * LeNet-5 fixes the centres (±1 bitmaps of the characters) rather than learning them, so they are
 * parameters that are not trainable unless `trainable: true` says otherwise.
 *
 * Counting: a distance is not a weighted sum, so nncalc counts no MACs here (its MACs are conv,
 * linear and matmul only). FLOPs: per unit and input one subtract, one square and one add, so
 * 3·N·c_in·units. Counting the square-and-add as a MAC instead would give the same FLOPs.
 */
import { mul, term } from '../count.js';
import { defineOp, numel } from './op.js';
import { shapeError } from './spatial.js';

/** Normalised RBF attributes. */
export interface Rbf {
  readonly units: number;
  readonly trainable: boolean;
}

export const rbf = defineOp<Rbf>({
  kind: 'rbf',
  title: 'EuclideanRBF',
  doc: 'Euclidean RBF units y_i = Σ_j (x_j − w_ij)² on an (N, c_in) input (centres c_in·units, fixed unless trainable: true). No MACs; FLOPs: 3·N·c_in·units.',
  attrs: (r) => ({ units: r.int('units', { min: 1 }), trainable: r.bool('trainable', false) }),
  shape(a, [x]) {
    if (x!.length < 2) throw shapeError(`rbf expects an input of at least 2 dimensions (N, features), but received [${x!.join(', ')}].`);
    if (x!.length > 2) {
      throw shapeError(`rbf compares feature vectors, but its input [${x!.join(', ')}] is ${x!.length}-D.`, [
        `Hint: insert a flatten before this layer to make it [${x![0]}, ${numel(x!.slice(1))}].`,
      ]);
    }
    return [[x![0]!, a.units]];
  },
  weights(a, [x]) {
    const cin = x![x!.length - 1]!;
    return [{ name: 'weight', shape: [a.units, cin], dims: ['units', 'c_in'], count: mul(term('c_in', cin), term('units', a.units)), trainable: a.trainable }];
  },
  flops: (a, [x]) => mul(term('N', x![0]!), term('c_in', x![1]!), term('units', a.units), term('3', 3)),
  label: (a) => `RBF-${a.units}`,
});
