/**
 * @module
 * The rearrangement in Swin's patch merging (Liu et al. 2021, §3.1), channels last: H and W are padded with
 * zeros up to a multiple of `factor` (torchvision pads odd sizes), and each factor × factor neighbourhood
 * becomes one position with factor²·C channels: [N, H, W, C] → [N, ⌈H/2⌉, ⌈W/2⌉, 4C]. The LayerNorm and the
 * Linear 4C → 2C that follow are ordinary layers. Only moves data: no parameters, no MACs, no FLOPs.
 */
import { dim, divide, lit, mul, term } from '../count.js';
import { defineOp } from './op.js';
import { fmtShape, shapeError } from './spatial.js';

export const patchMerge = defineOp<{ factor: number }>({
  kind: 'patch_merge',
  title: 'PatchMerge',
  doc:
    'Swin\'s patch merging gather, channels last: pads H and W to a multiple of `factor` (default 2) and stacks each ' +
    'factor×factor neighbourhood into the channels: [N, H, W, C] → [N, ⌈H/2⌉, ⌈W/2⌉, 4C]. No parameters, no FLOPs.',
  attrs: (r) => ({ factor: r.int('factor', { min: 1, default: 2 }) }),
  shape(a, [x], note) {
    if (x!.length !== 4) {
      throw shapeError(`patch_merge expects a channels-last image [N, H, W, C], but received ${fmtShape(x!)}.`, [
        'Hint: permute an [N, C, H, W] tensor with dims [0, 2, 3, 1] first.',
      ]);
    }
    const [n, h, w, c] = x as [number, number, number, number];
    const f = term('f', a.factor);
    const hOut = divide(term('H_in', h), f, 'ceil');
    const wOut = divide(term('W_in', w), f, 'ceil');
    const cOut = mul(lit(a.factor * a.factor), term('C', c));
    note?.({ label: 'H_out', count: hOut });
    note?.({ label: 'W_out', count: wOut });
    note?.({ label: 'C_out', count: cOut });
    return [[n, dim(hOut), dim(wOut), dim(cOut)]];
  },
  label: (a) => `merge ${a.factor}×${a.factor}`,
});
