/**
 * @module
 * MPT (MosaicML 2023) as `transformers`' MptForCausalLM and MptModel. The port builds what MPT-7B uses whatever the
 * config says: no linear biases (no_bias), LayerNorms with a weight and no bias, an MLP of width 4·d_model
 * (expansion_ratio is not read), and no position table (ALiBi). Wqkv is one fused projection; lm_head is tied to wte.
 */
import { op, type Spec } from '../../describe/spec.js';
import { decoderLayer, plainMlp, withHead } from './blocks.js';
import { headDim, type HfConfig } from './config.js';
import { attention, DEFAULT_SEQ, embedding, lmSpec, stack, tied } from './layers.js';

/** The Spec of an MPT config. */
export function mpt(cfg: HfConfig, name: string): Spec {
  const h = cfg.int('d_model', 2048);
  const heads = cfg.int('n_heads', 16);
  const layers = cfg.layers('n_layers', 24);
  const vocab = cfg.int('vocab_size', 50368);
  const d = headDim(cfg, { key: 'd_model', value: h }, { key: 'n_heads', value: heads });
  const ln = (n: string) => op('layernorm', { bias: false }, { name: n, role: 'norms' });
  const attn = attention('attn', { heads, kvHeads: heads, headDim: d, hidden: h, qkvBias: false, outBias: false, causal: true });
  const layer = () => decoderLayer('sequential', [ln('norm_1'), ln('norm_2')], attn, plainMlp('ffn', ['up_proj', 4 * h], ['act', 'gelu'], ['down_proj', h], false));
  const base = [embedding('wte', vocab, h), stack(cfg, 'blocks', layers, 'MptBlock', layer), ln('norm_f')];
  const lm = withHead(cfg, base, { prefix: 'transformer', name: 'lm_head', vocab, embed: 'wte', tie: tied(cfg, true) });
  const ignored = [
    ...(cfg.has('expansion_ratio') && cfg.num('expansion_ratio', 4) !== 4 ? [`expansion_ratio=${cfg.num('expansion_ratio', 4)}`] : []),
    ...(cfg.bool('no_bias', true) ? [] : ['no_bias=false']),
  ];
  return lmSpec(name, cfg, DEFAULT_SEQ, lm.layers, [
    'ALiBi biases the attention scores by distance: no position table, whatever learned_pos_emb says (transformers builds none).',
    ...(ignored.length ? [`${ignored.join(', ')} not applied: transformers' MPT builds an MLP of width 4·d_model without biases.`] : []),
    ...lm.notes,
  ]);
}
