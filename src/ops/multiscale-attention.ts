/**
 * @module
 * MViT's multi-head pooling attention (Fan et al., "Multiscale Vision Transformers", ICCV 2021; Li et al., "MViTv2",
 * CVPR 2022), as torchvision's MultiscaleAttention computes it on tokens [N, 1 + T·H·W, C_in]: a class token and a
 * T×H×W grid (`thw`, which the tokens alone do not tell).
 * - qkv (Linear C_in → 3·C_out) splits into h heads of d = C_out/h;
 * - q, k and v are each pooled on the grid (the class token aside) by a depthwise Conv3d over d channels
 *   (kernel_q/stride_q for q, kernel_kv/stride_kv for k and v, padding ⌊k/2⌋, no bias) and a LayerNorm(d); a pool
 *   exists where its kernel or stride is more than 1;
 * - attention of the N_q = 1 + T_q·H_q·W_q queries over the N_k keys, with MViTv2's decomposed relative positions
 *   added to the scores of the grid tokens — rel_pos_h and rel_pos_w [2·max(⌊S/s_q⌋, ⌊S/s_kv⌋) − 1, d] with
 *   S = max(H, W) and s the strides along H, rel_pos_t [2T − 1, d], sized as torchvision sizes them — and the pooled q
 *   added back (residual pooling);
 * - project (Linear C_out → C_out).
 * The output is [N, N_q, C_out]: pooling q with stride 2 halves H and W.
 * MACs: qkv N·N_in·C_in·3C_out; each pool N·h·d·T'·H'·W'·k_t·k_h·k_w; QKᵀ and AV N·h·N_q·N_k·d each; relative
 * positions N·h·T_q·H_q·W_q·(H_k + W_k + T_k)·d; project N·N_q·C_out². FLOPs besides: the biases (3C_out per input
 * token, C_out per output token), scaling q (1 per element), 7 per element of each pool's LayerNorm, 3 per score
 * (softmax), 3 per grid score (the three relative terms), 1 per grid element of q (the residual).
 */
import { add, dim, lit, mul, term, type Count } from '../count.js';
import type { Shape, Weight } from '../types.js';
import { defineOp } from './op.js';
import { fmtShape, shapeError, windowOut } from './spatial.js';

/** Normalised attributes. */
export interface MultiscaleAttention {
  readonly num_heads: number;
  /** C_out; C_in when not given. */
  readonly out: number | undefined;
  /** The grid of the input tokens after the class token: [T, H, W]. */
  readonly thw: readonly [number, number, number];
  readonly kernel_q: readonly number[];
  readonly stride_q: readonly number[];
  readonly kernel_kv: readonly number[];
  readonly stride_kv: readonly number[];
  /** MViTv2's decomposed relative position embeddings. */
  readonly rel_pos: boolean;
  /** MViTv2's residual pooling: the pooled q added to the attention output. */
  readonly residual_pool: boolean;
}

/** One pooling of q, k or v: its kernel, stride and output grid, or none. */
interface Pool {
  readonly kernel: readonly number[];
  readonly grid: readonly number[];
}

interface Dims {
  readonly n: number;
  readonly tokens: number;
  readonly cIn: number;
  readonly cOut: number;
  readonly d: number;
  readonly q: Pool | undefined;
  readonly kv: Pool | undefined;
  readonly qGrid: readonly number[];
  readonly kGrid: readonly number[];
}

const AXES = ['T', 'H', 'W'];
const prod = (xs: readonly number[]) => xs.reduce((p, x) => p * x, 1);

function pool(kernel: readonly number[], stride: readonly number[], thw: readonly number[]): Pool | undefined {
  if (prod(kernel) <= 1 && prod(stride) <= 1) return undefined;
  const grid = thw.map((size, i) => dim(windowOut({ name: AXES[i]!, size, kernel: kernel[i]!, stride: stride[i]!, padding: kernel[i]! >> 1, dilation: 1, ceil: false })));
  return { kernel, grid };
}

function dims(a: MultiscaleAttention, x: Shape): Dims {
  if (x.length !== 3) throw shapeError(`multiscale_attention expects tokens [N, 1 + T·H·W, C], but received ${fmtShape(x)}.`);
  const [n, tokens, cIn] = x as [number, number, number];
  const grid = prod(a.thw);
  if (tokens !== 1 + grid) {
    throw shapeError(`multiscale_attention reads a class token and a ${a.thw.join('×')} grid, 1 + ${grid} = ${1 + grid} tokens, but received ${tokens}.`);
  }
  const cOut = a.out ?? cIn;
  if (cOut % a.num_heads !== 0) throw shapeError(`multiscale_attention splits C_out = ${cOut} into ${a.num_heads} heads, which does not divide it.`);
  const q = pool(a.kernel_q, a.stride_q, a.thw);
  const kv = pool(a.kernel_kv, a.stride_kv, a.thw);
  return { n, tokens, cIn, cOut, d: cOut / a.num_heads, q, kv, qGrid: q?.grid ?? a.thw, kGrid: kv?.grid ?? a.thw };
}

function weights(a: MultiscaleAttention, x: Shape): Weight[] {
  const { cIn, cOut, d } = dims(a, x);
  const [Ci, Co, D] = [term('C_in', cIn), term('C_out', cOut), term('d', d)];
  const w = (name: string, shape: number[], names: string[], count: Count): Weight => ({ name, shape, dims: names, count });
  const pools = (['q', 'k', 'v'] as const).flatMap((p) => {
    const kernel = p === 'q' ? a.kernel_q : a.kernel_kv;
    if (!pool(kernel, p === 'q' ? a.stride_q : a.stride_kv, a.thw)) return [];
    const k = [term('k_t', kernel[0]!), term('k_h', kernel[1]!), term('k_w', kernel[2]!)];
    return [
      w(`pool_${p}.pool.weight`, [d, 1, ...kernel], ['d', '1', 'k_t', 'k_h', 'k_w'], mul(D, ...k)),
      w(`pool_${p}.norm_act.0.weight`, [d], ['d'], D),
      w(`pool_${p}.norm_act.0.bias`, [d], ['d'], D),
    ];
  });
  const rel: Weight[] = [];
  if (a.rel_pos) {
    // torchvision sizes the spatial tables from the larger of H and W, divided by each stride's H step.
    const size = Math.max(a.thw[1], a.thw[2]);
    const spatial = 2 * Math.max(Math.floor(size / a.stride_q[1]!), Math.floor(size / a.stride_kv[1]!)) - 1;
    const temporal = 2 * a.thw[0] - 1;
    rel.push(
      w('rel_pos_h', [spatial, d], ['2·s − 1', 'd'], mul(term('(2·s − 1)', spatial), D)),
      w('rel_pos_w', [spatial, d], ['2·s − 1', 'd'], mul(term('(2·s − 1)', spatial), D)),
      w('rel_pos_t', [temporal, d], ['2·T − 1', 'd'], mul(term('(2·T − 1)', temporal), D)),
    );
  }
  // PyTorch's order: the module's own tables first, then its children's.
  return [
    ...rel,
    w('qkv.weight', [3 * cOut, cIn], ['3C_out', 'C_in'], mul(Ci, lit(3), Co)),
    w('qkv.bias', [3 * cOut], ['3C_out'], mul(lit(3), Co)),
    w('project.0.weight', [cOut, cOut], ['C_out', 'C_out'], mul(Co, Co)),
    w('project.0.bias', [cOut], ['C_out'], Co),
    ...pools,
  ];
}

const gridTokens = (grid: readonly number[], name: string): Count => term(name, prod(grid));

function macs(a: MultiscaleAttention, x: Shape): Count {
  const m = dims(a, x);
  const N = term('N', m.n);
  const [h, D] = [term('h', a.num_heads), term('d', m.d)];
  const [Nq, Nk] = [term('N_q', 1 + prod(m.qGrid)), term('N_k', 1 + prod(m.kGrid))];
  const parts = [mul(N, term('N_in', m.tokens), term('C_in', m.cIn), lit(3), term('C_out', m.cOut))];
  const pools: [Pool | undefined, string][] = [[m.q, 'q'], [m.kv, 'k'], [m.kv, 'v']];
  for (const [p, name] of pools) if (p) parts.push(mul(N, h, D, gridTokens(p.grid, `T·H·W_${name}`), term(`k³_${name}`, prod(p.kernel))));
  parts.push(mul(N, h, Nq, Nk, D), mul(N, h, Nq, Nk, D));
  if (a.rel_pos) parts.push(mul(N, h, gridTokens(m.qGrid, 'T·H·W_q'), term('(H_k + W_k + T_k)', m.kGrid[1]! + m.kGrid[2]! + m.kGrid[0]!), D));
  parts.push(mul(N, Nq, term('C_out', m.cOut), term('C_out', m.cOut)));
  return add(...parts);
}

function flops(a: MultiscaleAttention, x: Shape): Count {
  const m = dims(a, x);
  const N = term('N', m.n);
  const [h, D] = [term('h', a.num_heads), term('d', m.d)];
  const [nq, nk] = [1 + prod(m.qGrid), 1 + prod(m.kGrid)];
  const [Nq, Nk] = [term('N_q', nq), term('N_k', nk)];
  const parts = [mul(N, term('N_in', m.tokens), lit(3), term('C_out', m.cOut)), mul(N, Nq, term('C_out', m.cOut)), mul(N, h, Nq, D)];
  const pools: [Pool | undefined, string][] = [[m.q, 'q'], [m.kv, 'k'], [m.kv, 'v']];
  for (const [p, name] of pools) if (p) parts.push(mul(N, h, term(`N_${name}`, 1 + prod(p.grid)), D, lit(7)));
  parts.push(mul(N, h, Nq, Nk, lit(3)));
  if (a.rel_pos) parts.push(mul(N, h, term('(N_q − 1)', nq - 1), term('(N_k − 1)', nk - 1), lit(3)));
  if (a.residual_pool) parts.push(mul(N, h, term('(N_q − 1)', nq - 1), D));
  return add(...parts);
}

export const multiscaleAttention = defineOp<MultiscaleAttention>({
  kind: 'multiscale_attention',
  title: 'MultiscaleAttention',
  doc:
    "MViT's pooling attention on tokens [N, 1 + T·H·W, C_in] (`thw` gives the grid): qkv, depthwise Conv3d + LayerNorm pools of q, k, v, " +
    'attention with decomposed relative positions and residual pooling, project. Weights: qkv C_in·3C_out + 3C_out, project C_out² + C_out, ' +
    '3·(d·k³ + 2d) for the pools, rel_pos_h/w/t. MACs: projections, pools, QKᵀ and AV, relative positions.',
  attrs(r) {
    const thw = r.tuple('thw', 3, { min: 1 }) as [number, number, number];
    const kernel_q = r.tuple('kernel_q', 3, { min: 1, default: 1 });
    const kernel_kv = r.tuple('kernel_kv', 3, { min: 1, default: 1 });
    return {
      num_heads: r.int('num_heads', { min: 1 }),
      out: r.has('out') ? r.int('out', { min: 1 }) : undefined,
      thw,
      kernel_q,
      stride_q: r.tuple('stride_q', 3, { min: 1, default: 1 }),
      kernel_kv,
      stride_kv: r.tuple('stride_kv', 3, { min: 1, default: 1 }),
      rel_pos: r.bool('rel_pos', true),
      residual_pool: r.bool('residual_pool', true),
    };
  },
  shape(a, [x], note) {
    const m = dims(a, x!);
    note?.({ label: 'query grid T·H·W', count: mul(...m.qGrid.map((g, i) => term(`${AXES[i]}_q`, g))) });
    note?.({ label: 'key grid T·H·W', count: mul(...m.kGrid.map((g, i) => term(`${AXES[i]}_k`, g))) });
    return [[m.n, 1 + prod(m.qGrid), m.cOut]];
  },
  weights: (a, [x]) => weights(a, x!),
  macs: (a, [x]) => macs(a, x!),
  flops: (a, [x]) => flops(a, x!),
  label: (a) => `MHPA-${a.num_heads}`,
});
