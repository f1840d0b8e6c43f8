/**
 * @module
 * BERT (Devlin et al. 2019) as `transformers`' BertModel (with the pooler) and BertForMaskedLM (no pooler; the
 * MLM head's transform, then a decoder whose weight is the word-embedding matrix and whose bias is
 * `cls.predictions.bias`). Post-norm encoder layers: LayerNorm(x + attention(x)), LayerNorm(x + MLP(x)).
 * BertForMaskedLM's base model lives under `bert.`; BertModel's has no prefix.
 */
import { block, op, residual, type LayerSpec, type Spec } from '../../describe/spec.js';
import { headDim, type HfConfig } from './config.js';
import { activation, add, attention, defaultSeq, embedding, layerNorm, linear, lmSpec, stack, tied } from './layers.js';

/** The Spec of a BERT config. */
export function bert(cfg: HfConfig, name: string): Spec {
  const h = cfg.int('hidden_size');
  const layers = cfg.int('num_hidden_layers');
  const heads = cfg.int('num_attention_heads');
  const inter = cfg.int('intermediate_size');
  const vocab = cfg.int('vocab_size');
  const positions = cfg.int('max_position_embeddings', 512);
  const types = cfg.int('type_vocab_size', 2, 0);
  const act = cfg.str('hidden_act', 'gelu');
  const d = headDim(cfg, { key: 'hidden_size', value: h }, { key: 'num_attention_heads', value: heads });
  const kind = cfg.str('position_embedding_type', 'absolute');
  if (kind !== 'absolute') cfg.fail('position_embedding_type', `position_embedding_type '${kind}' adds distance embeddings nncalc does not build; only 'absolute' is supported.`, 'unsupported');
  if (cfg.bool('add_cross_attention', false)) cfg.fail('add_cross_attention', 'BERT with cross-attention (a decoder) is not supported.', 'unsupported');

  const mlm = cfg.architecture === 'BertForMaskedLM';
  const word = `${mlm ? 'bert.' : ''}embeddings.word_embeddings`;
  const embeddings = block('embeddings', [
    embedding('word_embeddings', vocab, h),
    // Position and token-type ids have the shape of the token ids, so these lookups read the input too.
    embedding('position_embeddings', positions, h, { inputs: ['input'] }),
    ...(types > 0 ? [embedding('token_type_embeddings', types, h, { inputs: ['input'] })] : []),
    add('add', 'embeddings', ['word_embeddings', 'position_embeddings', ...(types > 0 ? ['token_type_embeddings'] : [])]),
    layerNorm('LayerNorm'),
  ]);
  const attn = { heads, kvHeads: heads, headDim: d, hidden: h, qkvBias: true, outBias: true, causal: false };
  const encoder = block('encoder', [
    stack('layer', layers, 'BertLayer', () => [
      residual([attention('attention', attn)], add('attention.output.add', 'attention')),
      layerNorm('attention.output.LayerNorm'),
      residual(
        [linear('intermediate.dense', inter, true, 'mlp'), activation('intermediate.intermediate_act_fn', act, 'mlp'), linear('output.dense', h, true, 'mlp')],
        add('output.add', 'mlp'),
      ),
      layerNorm('output.LayerNorm'),
    ]),
  ]);
  const model: LayerSpec[] = mlm
    ? [
        block('bert', [embeddings, encoder]),
        block('cls', [
          block('predictions', [
            block('transform', [
              linear('dense', h, true, 'head'),
              activation('transform_act_fn', act, 'head'),
              op('layernorm', {}, { name: 'LayerNorm', role: 'head' }),
            ]),
            linear('decoder', vocab, true, 'head', tied(cfg, true) ? { tied: `${word}.weight` } : {}),
          ]),
        ]),
      ]
    : [
        embeddings,
        encoder,
        block('pooler', [
          // The pooler reads the first token: hidden_states[:, 0].
          op('split', { dim: 1, split_size: 1 }, { name: 'first_token', role: 'head' }),
          op('squeeze', { dim: 1 }, { name: 'squeeze', role: 'head', inputs: ['first_token:0'] }),
          linear('dense', h, true, 'head'),
          activation('activation', 'tanh', 'head'),
        ]),
      ];
  return lmSpec(
    name,
    cfg,
    defaultSeq(positions),
    model,
    [
      mlm
        ? `The decoder's weight is ${word}.weight (counted once); its bias is cls.predictions.bias.`
        : 'The pooler (dense + tanh on the first token) is part of BertModel and of the published parameter count.',
    ],
    {
      positions: { max: positions, kind: 'learned', key: 'max_position_embeddings' },
      ...(mlm ? {} : { outputs: [`encoder.layer.${layers - 1}.output.LayerNorm`, 'pooler.activation'] }),
    },
  );
}
