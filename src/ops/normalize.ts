/**
 * @module
 * L2 normalisation along one dimension, torch.nn.functional.normalize(x, p=2, dim): each vector along `dim` divided by
 * max(‖v‖₂, eps). SSD rescales its conv4_3 features this way (Liu et al. 2016, §3.1, after ParseNet) before a learned
 * per-channel scale. No parameters, no MACs. FLOPs: 3 per element (square, sum, divide) + 2 per vector (square root,
 * the eps floor).
 */
import { add, divide, lit, mul, term } from '../count.js';
import { readDim } from './attrs.js';
import { defineOp, elements } from './op.js';
import { fmtShape, shapeError } from './spatial.js';

export const normalize = defineOp<{ dim: number }>({
  kind: 'normalize',
  title: 'Normalize',
  doc: 'Divides each vector along `dim` (default 1, the channels) by its L2 norm, F.normalize(x, p=2). No parameters. FLOPs: 3 per element + 2 per vector.',
  attrs: (r) => ({ dim: readDim(r, 'dim', 1) }),
  shape(a, [x]) {
    const d = a.dim < 0 ? x!.length + a.dim : a.dim;
    if (d < 0 || d >= x!.length) throw shapeError(`normalize dim ${a.dim} is out of range for ${fmtShape(x!)}.`);
    return [x!];
  },
  flops(a, [x]) {
    const d = a.dim < 0 ? x!.length + a.dim : a.dim;
    return add(mul(lit(3), elements(x!)), mul(lit(2), divide(elements(x!), term('d', x![d]!), 'floor')));
  },
  label: () => 'L2 norm',
});
