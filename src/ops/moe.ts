/**
 * @module
 * A mixture-of-experts feed-forward block (Switch, Mixtral, DeepSeek, Qwen-MoE): a router (linear d_model → E,
 * no bias) scores E experts per token and the top_k of them run; optional shared experts run for every token.
 * Each expert is an MLP: gated (SwiGLU: gate_proj and up_proj [d_ff, d_model], down_proj [d_model, d_ff]) or not
 * (up_proj and down_proj only). Expert weights are declared stacked, [E, …], named experts.*: the parameters count
 * every expert; `activeParams` gives what one token uses (router, top_k experts, shared experts).
 * MACs are the active computation: router + top_k experts + shared experts, per token.
 */
import { add, dim, lit, mul, term, type Count } from '../count.js';
import type { Shape, Weight } from '../types.js';
import { div, sum } from '../int.js';
import { defineOp, numel, size, type OpDef } from './op.js';
import { fmtShape, shapeError } from './spatial.js';

/** Normalised mixture-of-experts attributes. */
export interface Moe {
  readonly num_experts: number;
  readonly top_k: number;
  /** Intermediate size of one routed expert. */
  readonly ffn_dim: number;
  readonly gated: boolean;
  readonly bias: boolean;
  readonly num_shared_experts: number;
  /** Intermediate size of one shared expert (default ffn_dim). */
  readonly shared_ffn_dim: number;
  /** Qwen-MoE's sigmoid gate on the shared expert output: a linear d_model → 1. */
  readonly shared_expert_gate: boolean;
}

/** d_model, the last dimension, and the token count T (every other dimension). */
function tokens(x: Shape): { d: number; t: number } {
  if (x.length < 2) throw shapeError(`moe expects tokens [N, L, d_model] (or [N, d_model]), but received ${fmtShape(x)}.`);
  return { d: x[x.length - 1]!, t: size(x.slice(0, -1)) };
}

/** Matrices per expert: 3 gated, 2 plain. */
const mats = (a: Moe): number => (a.gated ? 3 : 2);

/** One MLP's weights: gate_proj, up_proj, down_proj, stacked over `stack` experts when given. */
function mlp(a: Moe, prefix: string, d: number, width: Count, stack?: Count): Weight[] {
  const lead = stack ? [dim(stack)] : [];
  const s = stack ? [stack] : [];
  const dm = term('d_model', d);
  const dims = (...rest: string[]) => [...(stack ? ['experts'] : []), ...rest];
  const w = (name: string, shape: number[], names: string[], count: Count): Weight => ({ name: `${prefix}.${name}`, shape: [...lead, ...shape], dims: dims(...names), count });
  const up = (name: string): Weight[] => [
    w(`${name}.weight`, [dim(width), d], [width.formula, 'd_model'], mul(...s, width, dm)),
    ...(a.bias ? [w(`${name}.bias`, [dim(width)], [width.formula], mul(...s, width))] : []),
  ];
  return [
    ...(a.gated ? up('gate_proj') : []),
    ...up('up_proj'),
    w('down_proj.weight', [d, dim(width)], ['d_model', width.formula], mul(...s, dm, width)),
    ...(a.bias ? [w('down_proj.bias', [d], ['d_model'], mul(...s, dm))] : []),
  ];
}

function sharedWidth(a: Moe): Count {
  const one = term('d_shared', a.shared_ffn_dim);
  return a.num_shared_experts === 1 ? one : mul(term('S', a.num_shared_experts), one);
}

export const moe: OpDef<Moe> = defineOp<Moe>({
  kind: 'moe',
  title: 'MoE',
  doc:
    'Mixture-of-experts feed-forward: router gate.weight [E, d_model]; E experts of 3 (gated, SwiGLU) or 2 matrices d_model·d_ff, ' +
    'all counted in the parameters; optional shared experts. MACs per token, the active computation: router d_model·E + ' +
    'top_k·(3 or 2)·d_model·d_ff + shared experts. FLOPs per token: 3·E for the router softmax, the activations, 2·d_model per active expert to weight and sum.',
  attrs(r) {
    const num_experts = r.int('num_experts', { min: 1 });
    const top_k = r.int('top_k', { min: 1 });
    if (top_k > num_experts) r.fail('top_k', `'top_k' cannot exceed 'num_experts'. Received: top_k=${top_k}, num_experts=${num_experts}.`);
    const ffn_dim = r.int('ffn_dim', { min: 1 });
    const num_shared_experts = r.int('num_shared_experts', { min: 0, default: 0 });
    const shared_ffn_dim = r.int('shared_ffn_dim', { min: 1, default: ffn_dim });
    const shared_expert_gate = r.bool('shared_expert_gate', false);
    if (num_shared_experts === 0 && shared_expert_gate) {
      r.fail('shared_expert_gate', `'shared_expert_gate' needs a shared expert. Received: num_shared_experts=0.`);
    }
    return { num_experts, top_k, ffn_dim, gated: r.bool('gated', true), bias: r.bool('bias', false), num_shared_experts, shared_ffn_dim, shared_expert_gate };
  },
  shape(_, [x]) {
    tokens(x!);
    return [x!];
  },
  weights(a, [x]) {
    const { d } = tokens(x!);
    const e = term('E', a.num_experts);
    const router: Weight = { name: 'gate.weight', shape: [a.num_experts, d], dims: ['E', 'd_model'], count: mul(e, term('d_model', d)) };
    const shared = a.num_shared_experts ? mlp(a, 'shared_experts', d, sharedWidth(a)) : [];
    const sharedGate: Weight[] = a.shared_expert_gate
      ? [{ name: 'shared_expert_gate.weight', shape: [1, d], dims: ['1', 'd_model'], count: term('d_model', d) }]
      : [];
    return [router, ...mlp(a, 'experts', d, term('d_ff', a.ffn_dim), e), ...shared, ...sharedGate];
  },
  macs(a, [x]) {
    const { d, t } = tokens(x!);
    const T = term('T', t);
    const dm = term('d_model', d);
    const parts = [mul(T, dm, term('E', a.num_experts)), mul(T, term('top_k', a.top_k), lit(mats(a)), dm, term('d_ff', a.ffn_dim))];
    if (a.num_shared_experts) parts.push(mul(T, lit(mats(a)), dm, sharedWidth(a)));
    if (a.shared_expert_gate) parts.push(mul(T, dm));
    return add(...parts);
  },
  flops(a, [x]) {
    const { d, t } = tokens(x!);
    const dm = term('d_model', d);
    // One MLP's element-wise work per token: the activation (and the gate product), then the biases.
    const mlpOps = (width: Count): Count[] => [
      a.gated ? mul(lit(2), width) : width,
      ...(a.bias ? [a.gated ? mul(lit(2), width) : width, dm] : []),
    ];
    // Each routed expert's output is scaled by its router weight and summed: 2·d_model.
    const expert = add(...mlpOps(term('d_ff', a.ffn_dim)), mul(lit(2), dm));
    const parts = [mul(lit(3), term('E', a.num_experts)), mul(term('top_k', a.top_k), expert)];
    if (a.num_shared_experts) parts.push(...mlpOps(sharedWidth(a)), dm);
    if (a.shared_expert_gate) parts.push(lit(1), dm);
    return mul(term('T', t), add(...parts));
  },
  label: (a) => `MoE ${a.top_k}/${a.num_experts}`,
  active: (a, inputs) => activeParams(a, inputs),
});

/**
 * Parameters one token uses: the router, top_k of the E routed experts, every shared expert and the shared gate.
 * Takes the normalised attributes (a report layer's `attrs`) and the input shapes.
 */
export function activeParams(a: Moe, inputs: readonly Shape[]): Count {
  const weights = moe.weights!(a, inputs);
  const total = (ws: Weight[]) => sum(ws.map((w) => numel(w.shape)));
  const routed = weights.filter((w) => w.dims?.[0] === 'experts');
  const perExpert = div(total(routed), a.num_experts, 'floor'); // exact: every routed weight has a leading experts axis
  const rest = total(weights.filter((w) => w.dims?.[0] !== 'experts'));
  return add(term('params outside the routed experts', rest), mul(term('top_k', a.top_k), term('params per expert', perExpert)));
}
