/**
 * @module
 * Mamba and Mamba-2 (model_type mamba, mamba2) as `transformers`' MambaForCausalLM / Mamba2ForCausalLM and their
 * *Model classes: embeddings, then per layer x + mixer(norm(x)), then norm_f and an lm_head (tied for Mamba).
 *
 * Mamba's mixer: in_proj to 2·d_inner (x and the gate z), a depthwise causal conv1d on x (padded by k − 1 and cut
 * back to L), SiLU, x_proj to Δ‖B‖C (time_step_rank + 2·d_state), dt_proj from the rank to d_inner, the selective
 * scan (A_log, D), the product with SiLU(z), out_proj. Mamba-2's mixer: one in_proj to z‖xBC‖Δ, the conv1d over
 * xBC (d_inner + 2·g·d_state channels), the scan with one A, D and dt_bias per head, a gated RMSNorm (norm(y·SiLU(z))),
 * out_proj. The module names are transformers'; the split, transpose and cut between them are nncalc's.
 */
import { block, op, residual, type LayerSpec, type Spec } from '../../describe/spec.js';
import { withHead } from './blocks.js';
import type { HfConfig } from './config.js';
import { activation, add, DEFAULT_SEQ, embedding, linear, lmSpec, mul, rmsNorm, stack, tied } from './layers.js';

const mix = (name: string, kind: string, attrs: Record<string, unknown>, inputs?: readonly string[]): LayerSpec =>
  op(kind, attrs, { name, role: 'mixer', ...(inputs ? { inputs } : {}) });

/** The depthwise causal conv1d over `channels` of `input` [N, L, channels], back in [N, L, channels] after SiLU. */
function causalConv(input: string, channels: number, kernel: number, bias: boolean): LayerSpec[] {
  return [
    mix('transpose', 'transpose', { dim0: 1, dim1: 2 }, [input]),
    mix('conv1d', 'conv1d', { out: channels, kernel, groups: channels, padding: kernel - 1, bias }),
    // conv1d(x)[..., :L]: the k − 1 positions the left padding adds at the end are cut.
    mix('cut', 'pad', { pad: [0, -(kernel - 1)] }),
    activation('act', 'silu', 'mixer'),
    mix('transpose_back', 'transpose', { dim0: 1, dim1: 2 }),
  ];
}

/** The Spec of a Mamba or Mamba-2 config. */
export function mamba(cfg: HfConfig, name: string): Spec {
  const two = cfg.family === 'mamba2';
  const h = cfg.int('hidden_size');
  const layers = cfg.layers('num_hidden_layers');
  const vocab = cfg.int('vocab_size');
  const state = cfg.int('state_size');
  const inner = Math.floor(cfg.num('expand', undefined, 0) * h);
  if (inner < 1) cfg.fail('expand', `expand·hidden_size must be at least 1. Received: expand=${cfg.num('expand')}, hidden_size=${h}.`);
  const kernel = cfg.int('conv_kernel');
  const bias = cfg.bool('use_bias');
  const convBias = cfg.bool('use_conv_bias');

  let mixer: LayerSpec[];
  if (!two) {
    const rankSetting = cfg.raw['time_step_rank'];
    const rank = rankSetting === 'auto' || rankSetting === undefined || rankSetting === null ? Math.ceil(h / 16) : cfg.int('time_step_rank');
    mixer = [
      linear('in_proj', 2 * inner, bias, 'mixer'),
      mix('split', 'split', { dim: -1, sizes: [inner, inner] }),
      ...causalConv('split:0', inner, kernel, convBias),
      linear('x_proj', rank + 2 * state, false, 'mixer'),
      mix('x_proj_split', 'split', { dim: -1, sizes: [rank, state, state] }),
      op('linear', { out: inner, bias: true }, { name: 'dt_proj', role: 'mixer', inputs: ['x_proj_split:0'] }),
      mix('selective_scan', 'selective_scan', { state_size: state }, ['transpose_back', 'dt_proj', 'x_proj_split:1', 'x_proj_split:2']),
      op('silu', {}, { name: 'gate_act', role: 'mixer', inputs: ['split:1'] }),
      mul('gate', 'mixer', ['selective_scan', 'gate_act']),
      linear('out_proj', h, bias, 'mixer'),
    ];
  } else {
    const heads = cfg.int('num_heads');
    const headDim = cfg.int('head_dim');
    const groups = cfg.int('n_groups');
    if (heads * headDim !== inner) {
      cfg.fail('num_heads', `num_heads·head_dim must equal expand·hidden_size, the channels the scan splits into heads. Received: num_heads=${heads}, head_dim=${headDim}, expand·hidden_size=${inner}.`);
    }
    const conv = inner + 2 * groups * state;
    mixer = [
      linear('in_proj', inner + conv + heads, bias, 'mixer'),
      mix('split', 'split', { dim: -1, sizes: [inner, conv, heads] }),
      ...causalConv('split:1', conv, kernel, convBias),
      mix('xbc_split', 'split', { dim: -1, sizes: [inner, groups * state, groups * state] }),
      mix('selective_scan', 'selective_scan', { state_size: state, num_heads: heads, n_groups: groups }, ['xbc_split:0', 'split:2', 'xbc_split:1', 'xbc_split:2']),
      op('silu', {}, { name: 'gate_act', role: 'mixer', inputs: ['split:0'] }),
      mul('gate', 'mixer', ['selective_scan', 'gate_act']),
      op('rmsnorm', {}, { name: 'norm', role: 'norms' }),
      linear('out_proj', h, bias, 'mixer'),
    ];
  }
  const mambaBlock = (): LayerSpec[] => [residual([rmsNorm('norm'), block('mixer', mixer)], add('residual', 'mixer'))];
  const base = [embedding('embeddings', vocab, h), stack(cfg, 'layers', layers, two ? 'Mamba2Block' : 'MambaBlock', mambaBlock), rmsNorm('norm_f')];
  const lm = withHead(cfg, base, { prefix: 'backbone', name: 'lm_head', vocab, embed: 'embeddings', tie: tied(cfg, cfg.bool('tie_word_embeddings')) });
  return lmSpec(name, cfg, DEFAULT_SEQ, lm.layers, [
    'mixer.selective_scan is the state-space recurrence: its MACs are the state update and the readout (N·L·d_inner·d_state each) and the skip D·x, counted as the recurrence runs, not as a fused or chunked kernel would.',
    'No attention: the cost grows linearly with the sequence.',
    ...lm.notes,
  ]);
}
