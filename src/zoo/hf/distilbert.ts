/**
 * @module
 * DistilBERT (Sanh et al. 2019) as `transformers`' DistilBertModel and DistilBertForMaskedLM: word and position
 * embeddings (no token types) and a LayerNorm; post-norm layers under transformer.layer.N with attention (q_lin,
 * k_lin, v_lin, out_lin), sa_layer_norm, ffn (lin1, lin2) and output_layer_norm; no pooler. The masked-LM head adds
 * vocab_transform, vocab_layer_norm and vocab_projector, tied to the word embeddings. A sinusoidal position table
 * (sinusoidal_pos_embds) is frozen but still a parameter, and counted.
 */
import { block, residual, type LayerSpec, type Spec } from '../../describe/spec.js';
import { headDim, type HfConfig } from './config.js';
import { bertEmbeddings } from './encoder.js';
import { activation, add, attention, defaultSeq, layerNorm, linear, lmSpec, stack, tied } from './layers.js';

/** The Spec of a DistilBERT config. */
export function distilbert(cfg: HfConfig, name: string): Spec {
  const h = cfg.int('dim');
  const layers = cfg.layers('n_layers');
  const heads = cfg.int('n_heads');
  const inter = cfg.int('hidden_dim');
  const vocab = cfg.int('vocab_size');
  const positions = cfg.int('max_position_embeddings');
  const act = cfg.str('activation');
  const d = headDim(cfg, { key: 'dim', value: h }, { key: 'n_heads', value: heads });
  const attn = attention('attention', { heads, kvHeads: heads, headDim: d, hidden: h, qkvBias: true, outBias: true, causal: false });
  const layer = (): LayerSpec[] => [
    residual([attn], add('attention_residual', 'attention')),
    layerNorm('sa_layer_norm'),
    residual([block('ffn', [linear('lin1', inter, true, 'mlp'), activation('activation', act, 'mlp'), linear('lin2', h, true, 'mlp')])], add('ffn_residual', 'mlp')),
    layerNorm('output_layer_norm'),
  ];
  const base = [bertEmbeddings(vocab, h, positions, 0), block('transformer', [stack(cfg, 'layer', layers, 'TransformerBlock', layer)])];
  const mlm = cfg.architecture === 'DistilBertForMaskedLM';
  const share = tied(cfg, cfg.bool('tie_word_embeddings'));
  const model: LayerSpec[] = mlm
    ? [
        block('distilbert', base),
        linear('vocab_transform', h, true, 'head'),
        activation('activation', act, 'head'),
        { ...layerNorm('vocab_layer_norm'), role: 'head' },
        linear('vocab_projector', vocab, true, 'head', share ? { tied: 'distilbert.embeddings.word_embeddings.weight' } : {}),
      ]
    : base;
  return lmSpec(name, cfg, defaultSeq(positions), model, [
    'DistilBERT has no token-type embeddings and no pooler.',
    ...(cfg.bool('sinusoidal_pos_embds') ? ['position_embeddings holds fixed sinusoids: frozen, but a parameter, so counted.'] : []),
    ...(mlm && share ? ["vocab_projector's weight is distilbert.embeddings.word_embeddings.weight (counted once)."] : []),
  ]);
}
