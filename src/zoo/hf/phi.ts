/**
 * @module
 * Phi-1, Phi-1.5 and Phi-2 (model_type 'phi') as `transformers`' PhiForCausalLM and PhiModel: one LayerNorm per
 * layer feeding attention and MLP in parallel, x + attention(ln(x)) + MLP(ln(x)); every linear has a bias,
 * lm_head too. Partial rotary embeddings (partial_rotary_factor) have no parameters.
 */
import { block, parallel, type Spec } from '../../describe/spec.js';
import { headDim, kvHeads, type HfConfig } from './config.js';
import { activation, add, attention, defaultSeq, embedding, layerNorm, linear, lmSpec, stack, tied } from './layers.js';

/** The Spec of a Phi config. */
export function phi(cfg: HfConfig, name: string): Spec {
  const h = cfg.int('hidden_size');
  const layers = cfg.layers('num_hidden_layers');
  const heads = cfg.int('num_attention_heads');
  const inter = cfg.int('intermediate_size');
  const vocab = cfg.int('vocab_size');
  const positions = cfg.int('max_position_embeddings', 2048);
  const act = cfg.str('hidden_act', 'gelu_new');
  const hn = { key: 'num_attention_heads', value: heads };
  const kv = kvHeads(cfg, hn, heads);
  const d = headDim(cfg, { key: 'hidden_size', value: h }, hn);
  if (cfg.bool('qk_layernorm', false)) {
    cfg.fail('qk_layernorm', 'qk_layernorm (LayerNorms with bias on q and k) is not supported; Phi-1, 1.5 and 2 do not use it.', 'unsupported');
  }

  const attn = { heads, kvHeads: kv, headDim: d, hidden: h, qkvBias: true, outBias: true, causal: true };
  const base = [
    embedding('embed_tokens', vocab, h),
    stack(cfg, 'layers', layers, 'PhiDecoderLayer', () => [
      // The residual branch is x itself; attention and MLP both read input_layernorm(x).
      parallel(
        [
          [layerNorm('input_layernorm'), attention('self_attn', attn)],
          [block('mlp', [linear('fc1', inter, true, 'mlp', { inputs: ['input_layernorm'] }), activation('activation_fn', act, 'mlp'), linear('fc2', h, true, 'mlp')])],
          [],
        ],
        add('residual', 'attention'),
      ),
    ]),
    layerNorm('final_layernorm'),
  ];
  const lm = cfg.architecture === 'PhiForCausalLM';
  const share = tied(cfg, false);
  const model = lm ? [block('model', base), linear('lm_head', vocab, true, 'head', share ? { tied: 'model.embed_tokens.weight' } : {})] : base;
  return lmSpec(name, cfg, defaultSeq(positions), model, ['Attention and MLP read the same LayerNorm output and are added to the residual together.'], {
    positions: { max: positions, kind: 'rotary', key: 'max_position_embeddings' },
  });
}
