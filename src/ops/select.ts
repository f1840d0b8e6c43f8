/**
 * @module
 * torch.select: one index along one dimension, which the result drops. ViT reads its class token with it
 * (`x[:, 0]`: [N, 197, 768] → [N, 768]); BERT's pooler does the same. No parameters, no FLOPs.
 */
import { defineOp } from './op.js';
import { readDim } from './attrs.js';
import { dimIndex } from './shape-ops.js';
import { fmtShape, shapeError } from './spatial.js';

/**
 * Normalised select attributes: a dimension and an index, both possibly negative (counted from the end), or
 * instead the shape of a tensor of indices (ONNX Gather), which replaces the dimension.
 */
export interface Select {
  readonly dim: number;
  readonly index: number;
  readonly index_shape: readonly number[] | undefined;
}

export const select = defineOp<Select>({
  kind: 'select',
  title: 'Select',
  doc:
    'torch.select: keeps position `index` of dimension `dim` (default 1, the sequence) and drops that dimension, ' +
    'as x[:, 0] takes the class token: [N, L, d] → [N, d]. Negative values count from the end. With `index_shape` (a tensor ' +
    'of indices, as ONNX Gather), the dimension is replaced by that shape. No parameters, no FLOPs.',
  attrs(r) {
    const index_shape = r.has('index_shape') ? r.list('index_shape', { min: 0 }) : undefined;
    if (index_shape && r.has('index')) r.fail('index', `give 'index' or 'index_shape', not both.`);
    return { dim: readDim(r, 'dim', 1), index: index_shape ? 0 : readDim(r, 'index', 0), index_shape };
  },
  shape(a, [x]) {
    const d = dimIndex('select dim', a.dim, x!);
    // Gather with a tensor of indices: the dimension becomes the indices' shape ([] for one index).
    if (a.index_shape) return [[...x!.slice(0, d), ...a.index_shape, ...x!.slice(d + 1)]];
    const size = x![d]!;
    if (a.index < -size || a.index >= size) {
      throw shapeError(`select index ${a.index} is out of range for dimension ${d} of ${fmtShape(x!)}, which has size ${size}: expected ${-size}…${size - 1}.`);
    }
    return [x!.filter((_, i) => i !== d)];
  },
  label: (a) => (a.index_shape ? `gather ${a.dim}` : `select ${a.dim}:${a.index}`),
});
