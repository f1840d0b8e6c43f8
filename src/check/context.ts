/**
 * @module
 * Where a model's parameters are, in a line or two: the FC layers of a VGG, the convolutions of a ResNet,
 * the roles of a transformer, and what is shared or not counted. Figures are shown short (123.6M); the
 * comparisons behind them are exact.
 */
import { fmt } from '../count.js';
import { cmp, minus, sum } from '../int.js';
import type { LayerReport, Report } from '../analyze/report.js';
import { stages } from '../render/explain.js';
import { memo } from './memo.js';
import { plural, short } from './words.js';

const larger = (a: LayerReport, b: LayerReport): LayerReport => (cmp(b.params ?? 0, a.params ?? 0) > 0 ? b : a);

/** Where a model's parameters are, in a line or two. */
export function context(report: Report): string[] {
  return memo(report, 'context', () => lines(report));
}

function lines(report: Report): string[] {
  const t = report.totals;
  const P = t.params;
  if (P <= 0) return [];
  const out: string[] = [];
  const withParams = report.layers.filter((l) => (l.params ?? 0) > 0);
  if (t.roles) {
    const parts = Object.entries(t.roles)
      .filter(([, n]) => n > 0)
      .sort(([, a], [, b]) => cmp(b, a));
    out.push(`Of the ${short(P)} parameters: ${parts.map(([role, n]) => `${role} ${short(n)}`).join(', ')}.`);
  } else {
    const fcs = withParams.filter((l) => l.op === 'linear');
    const fc = sum(fcs.map((l) => l.params!));
    if (fcs.length && cmp(sum([fc, fc]), P) >= 0) {
      const big = fcs.reduce(larger);
      const label = stages(report).find((s) => s.layers.length === 1 && s.layers[0] === big)?.label ?? big.name;
      const where = fcs.length > 1 ? `the ${plural(fcs.length, 'FC layer')} (${label} alone: ${short(big.params!)})` : `its FC layer, ${big.name}`;
      out.push(`${short(fc)} of the ${short(P)} parameters are in ${where}.`);
    } else if (fcs.length) {
      const rest = report.layers.some((l) => l.op.startsWith('conv')) ? 'the convolutions' : 'the other layers';
      out.push(`${short(minus(P, fc))} of the ${short(P)} parameters are in ${rest}; the ${plural(fcs.length, 'FC layer').replace(/^one /, '')} ${fcs.length === 1 ? 'holds' : 'hold'} ${short(fc)}.`);
    } else if (withParams.length) {
      const big = withParams.reduce(larger);
      out.push(`The largest layer, ${big.name} (${big.label}), holds ${short(big.params!)} of the ${short(P)} parameters.`);
    }
  }
  if (t.tied) {
    const sharing = report.layers.filter((l) => l.tied > 0);
    const to = [...new Set(sharing.flatMap((l) => l.weights.filter((w) => w.tiedTo).map((w) => w.tiedTo!)))];
    out.push(`${sharing.map((l) => l.name).join(', ')} reuse${sharing.length === 1 ? 's' : ''} the ${short(t.tied)} numbers of ${to.join(', ')}, counted once.`);
  } else if (t.buffers) {
    out.push(`Not counted: ${fmt(t.buffers)} BatchNorm running statistics, buffers in PyTorch (--convention keras counts them).`);
  }
  return out;
}
