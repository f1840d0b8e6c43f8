/**
 * @module
 * Spatial resizing without parameters: Upsample (interpolation) and the pixel (un)shuffle of sub-pixel convolution.
 * Upsample's target is a size, a scale factor, or (given neither) the spatial size of a second input, as dense
 * prediction heads resize to the image or to a finer feature map.
 * Upsample FLOPs per output element: each is a weighted sum of 2ᵏ (linear family) or 4ᵏ (bicubic) inputs over k axes,
 * so 2ᵏ multiplies and 2ᵏ − 1 adds: linear 3, bilinear 7, trilinear 15, bicubic 31; nearest copies, 0.
 * The interpolation weights themselves depend only on the position and are not counted.
 */
import { dim, lit, mul, raw, term, type Count } from '../count.js';
import { defineOp, elements } from './op.js';
import { axisNames, fmtShape, shapeError } from './spatial.js';

export type UpsampleMode = 'nearest' | 'nearest-exact' | 'linear' | 'bilinear' | 'bicubic' | 'trilinear';

/** Normalised upsample attributes: one of size and scale_factor, a single value meaning every spatial axis. */
export interface Upsample {
  readonly size: readonly number[] | undefined;
  readonly scale_factor: readonly number[] | undefined;
  readonly mode: UpsampleMode;
  readonly align_corners: boolean | undefined;
}

/** The spatial rank each interpolating mode needs; the nearest modes take any of 1–3. */
const modeRank: Partial<Record<UpsampleMode, number>> = { linear: 1, bilinear: 2, bicubic: 2, trilinear: 3 };

/** FLOPs per output element (see the module comment). */
const perOutput: Record<UpsampleMode, number> = { nearest: 0, 'nearest-exact': 0, linear: 3, bilinear: 7, trilinear: 15, bicubic: 31 };

export const upsample = defineOp<Upsample>({
  kind: 'upsample',
  title: 'Upsample',
  doc:
    'Resizes the spatial axes of (N, C, …) to `size`, by `scale_factor` (out = ⌊in·scale⌋) or, given neither, to the size of a ' +
    'second input (F.interpolate(x, size=y.shape[-2:])); mode nearest (default), ' +
    'linear, bilinear, bicubic or trilinear. No parameters. FLOPs per output element: nearest 0, linear 3, bilinear 7, trilinear 15, bicubic 31.',
  attrs(r) {
    // Neither is allowed here: the output then takes the spatial size of a second input (checked in shape).
    if (r.has('size') && r.has('scale_factor')) r.fail('scale_factor', `give exactly one of 'size' and 'scale_factor'. Received: both.`);
    const size = r.has('size') ? r.list('size', { min: 1 }) : undefined;
    const scale_factor = r.has('scale_factor') ? r.list('scale_factor', { integer: false }) : undefined;
    if (scale_factor?.some((s) => s <= 0)) r.fail('scale_factor', `'scale_factor' must be positive. Received: scale_factor=${fmtShape(scale_factor)}.`);
    const mode = r.oneOf('mode', ['nearest', 'nearest-exact', 'linear', 'bilinear', 'bicubic', 'trilinear'] as const, 'nearest');
    let align_corners: boolean | undefined;
    if (r.has('align_corners')) {
      if (modeRank[mode] === undefined) r.fail('align_corners', `'align_corners' applies to the interpolating modes only (linear, bilinear, bicubic, trilinear). Received: mode='${mode}'.`);
      align_corners = r.bool('align_corners', false);
    }
    return { size, scale_factor, mode, align_corners };
  },
  shape(a, [x, like], note) {
    const rank = x!.length - 2;
    const need = modeRank[a.mode];
    if (rank < 1 || rank > 3 || (need !== undefined && need !== rank)) {
      const want = need === undefined ? '3-, 4- or 5-D' : `${need + 2}-D`;
      throw shapeError(`upsample mode '${a.mode}' needs a ${want} input (N, C, …), but received ${fmtShape(x!)}.`);
    }
    if (!a.size && !a.scale_factor) {
      if (!like) throw shapeError(`give exactly one of 'size' and 'scale_factor', or a second input whose size to take. Received: neither.`);
      if (like.length !== x!.length) throw shapeError(`upsample takes its size from its second input, which must have the rank of the first: ${fmtShape(like)} for ${fmtShape(x!)}.`);
      return [[x![0]!, x![1]!, ...like.slice(2)]];
    }
    const given = a.size ?? a.scale_factor!;
    if (given.length !== 1 && given.length !== rank) {
      const key = a.size ? 'size' : 'scale_factor';
      throw shapeError(`upsample ${key} ${fmtShape(given)} needs one value or ${rank} (one per spatial axis of ${fmtShape(x!)}).`);
    }
    const names = axisNames(rank);
    const spatial = x!.slice(2).map((s, i) => {
      const v = given[given.length === 1 ? 0 : i]!;
      if (a.size) return v;
      const c: Count = raw(Math.floor(s * v), `⌊${names[i]}_in·scale⌋`, `⌊${s}·${v}⌋`);
      if (c.value < 1) throw shapeError(`upsample by ${v} leaves nothing of ${names[i]} = ${s}: ⌊${s}·${v}⌋ = ${c.value}.`);
      note?.({ label: `${names[i]}_out`, count: c });
      return dim(c);
    });
    return [[x![0]!, x![1]!, ...spatial]];
  },
  flops: (a, _, [y]) => (perOutput[a.mode] === 0 ? lit(0) : mul(elements(y!), term(a.mode, perOutput[a.mode]))),
  label: (a) => `up ${a.mode}`,
});

function shuffleOp(kind: 'pixel_shuffle' | 'pixel_unshuffle') {
  const up = kind === 'pixel_shuffle';
  const key = up ? 'upscale_factor' : 'downscale_factor';
  return defineOp<{ factor: number }>({
    kind,
    title: up ? 'PixelShuffle' : 'PixelUnshuffle',
    doc: up
      ? 'Moves channels into space (sub-pixel convolution): [N, C·r², H, W] → [N, C, H·r, W·r] with r = upscale_factor. No FLOPs.'
      : 'Moves space into channels: [N, C, H·r, W·r] → [N, C·r², H, W] with r = downscale_factor. No FLOPs.',
    attrs: (r) => ({ factor: r.int(key, { min: 1 }) }),
    shape(a, [x]) {
      if (x!.length < 3) throw shapeError(`${kind} expects an input (…, C, H, W), but received ${fmtShape(x!)}.`);
      const [c, h, w] = x!.slice(-3) as [number, number, number];
      const r = a.factor;
      if (up && c % (r * r) !== 0) {
        throw shapeError(`${kind} needs channels divisible by ${key}² = ${r * r}. Received: C=${c}.`, [`${c}/${r * r} = ${(c / (r * r)).toFixed(2)} is not a whole number.`]);
      }
      if (!up && (h % r !== 0 || w % r !== 0)) {
        throw shapeError(`${kind} needs H and W divisible by ${key} = ${r}. Received: H=${h}, W=${w}.`);
      }
      const last = up ? [c / (r * r), h * r, w * r] : [c * r * r, h / r, w / r];
      return [[...x!.slice(0, -3), ...last]];
    },
    label: (a) => `${up ? 'shuffle' : 'unshuffle'} ${a.factor}`,
  });
}

export const pixelShuffle = shuffleOp('pixel_shuffle');
export const pixelUnshuffle = shuffleOp('pixel_unshuffle');
