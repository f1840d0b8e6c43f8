/**
 * @module
 * Dense evaluation (Simonyan & Zisserman 2015, §3.2): "the fully-connected layers are first converted to
 * convolutional layers (the first FC layer to a 7 × 7 conv. layer, the last two FC layers to 1 × 1 conv. layers)".
 * The network then takes any input at least as large as the one it was trained on and gives a map of class
 * scores. The parameters do not change: a k×k conv over c maps has k·k·c·out weights, as many as an FC layer on
 * the c·k·k values of the k×k map it was trained on.
 */
import { ModelError } from '../errors.js';
import { isOp, isParallel, op, type LayerSpec, type OpSpec, type Spec } from './spec.js';

/** The Spec's op layers in the order build() makes nodes of them: a parallel's branches, then its merge. */
export function opsInOrder(layers: readonly LayerSpec[], out: OpSpec[] = []): OpSpec[] {
  for (const l of layers) {
    if (isOp(l)) out.push(l);
    else if (isParallel(l)) {
      opsInOrder(l.parallel, out);
      out.push(l.merge);
    } else opsInOrder(l.layers, out);
  }
  return out;
}

/** What to change, by position in opsInOrder: the flatten to drop, the FC layers to turn into convs, softmaxes to point at the channels. */
export interface DensePlan {
  readonly flatten: number;
  /** The first FC layer's kernel: the spatial size of the map it was trained on. */
  readonly kernel: readonly number[];
  readonly fcs: readonly number[];
  readonly softmaxes: readonly number[];
}

function rewrite(layers: readonly LayerSpec[], change: (o: OpSpec) => OpSpec | undefined): LayerSpec[] {
  return layers.flatMap((l): LayerSpec[] => {
    if (isOp(l)) {
      const c = change(l);
      return c ? [c] : [];
    }
    if (isParallel(l)) return [{ ...l, parallel: rewrite(l.parallel, change), merge: change(l.merge) ?? l.merge }];
    return [{ ...l, layers: rewrite(l.layers, change) }];
  });
}

/** The Spec with the planned FC layers as convolutions: the first k×k without padding, the others 1×1. */
export function denseSpec(spec: Spec, plan: DensePlan): Spec {
  const ops = opsInOrder(spec.layers);
  const at = new Map(ops.map((o, i) => [o, i]));
  const first = plan.fcs[0];
  const change = (o: OpSpec): OpSpec | undefined => {
    const i = at.get(o);
    if (i === plan.flatten) return undefined;
    if (i !== undefined && plan.fcs.includes(i)) {
      const { out, bias } = o.attrs as { out?: unknown; bias?: unknown };
      if (o.inputs || o.tied) throw new ModelError('unsupported', `--dense: FC layer '${o.name ?? i}' reads named inputs or shares weights; only a plain chain of FC layers can be turned into convolutions.`);
      const kernel = i === first ? plan.kernel : plan.kernel.map(() => 1);
      const { attrs: _attrs, op: _op, ...rest } = o;
      return op('conv2d', { out: out as number, kernel: [...kernel], stride: 1, padding: 0, ...(bias === undefined ? {} : { bias: bias as boolean }) }, { ...rest, rule: 'dense' });
    }
    if (i !== undefined && plan.softmaxes.includes(i)) return { ...o, attrs: { ...o.attrs, dim: 1 } };
    return o;
  };
  const { dense: _dense, ...rest } = spec;
  return { ...rest, layers: rewrite(spec.layers, change) };
}
