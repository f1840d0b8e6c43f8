/**
 * @module
 * torch.select: one index along one dimension, which the result drops. ViT reads its class token with it
 * (`x[:, 0]`: [N, 197, 768] → [N, 768]); BERT's pooler does the same. No parameters, no FLOPs.
 */
import { defineOp } from './op.js';
import { readDim } from './attrs.js';
import { dimIndex } from './shape-ops.js';
import { fmtShape, shapeError } from './spatial.js';

/** Normalised select attributes: a dimension and an index, both possibly negative (counted from the end). */
export interface Select {
  readonly dim: number;
  readonly index: number;
}

export const select = defineOp<Select>({
  kind: 'select',
  title: 'Select',
  doc:
    'torch.select: keeps position `index` of dimension `dim` (default 1, the sequence) and drops that dimension, ' +
    'as x[:, 0] takes the class token: [N, L, d] → [N, d]. Negative values count from the end. No parameters, no FLOPs.',
  attrs: (r) => ({ dim: readDim(r, 'dim', 1), index: readDim(r, 'index', 0) }),
  shape(a, [x]) {
    const d = dimIndex('select dim', a.dim, x!);
    const size = x![d]!;
    if (a.index < -size || a.index >= size) {
      throw shapeError(`select index ${a.index} is out of range for dimension ${d} of ${fmtShape(x!)}, which has size ${size}: expected ${-size}…${size - 1}.`);
    }
    return [x!.filter((_, i) => i !== d)];
  },
  label: (a) => `select ${a.dim}:${a.index}`,
});
