/**
 * @module
 * BERT (Devlin et al. 2019) and the encoders that share its layer: RoBERTa and XLM-R (the same layers; a masked-LM
 * head lm_head with dense, layer_norm and a tied decoder), and ELECTRA (embeddings of width embedding_size, projected
 * to hidden_size by embeddings_project when they differ; no pooler; the discriminator's or the generator's head).
 * Post-norm encoder layers: LayerNorm(x + attention(x)), LayerNorm(x + MLP(x)).
 * The *Model classes hold embeddings, encoder and (BERT, RoBERTa, XLM-R) the pooler; the heads put the base model
 * under bert., roberta. or electra.
 */
import { block, op, type LayerSpec, type Spec } from '../../describe/spec.js';
import type { HfConfig } from './config.js';
import { bertEmbeddings, bertLayer, readEncoder } from './encoder.js';
import { activation, defaultSeq, linear, lmSpec, stack, tied } from './layers.js';

/** The layer class of each family, for --depth. */
const LAYER: Readonly<Record<string, string>> = { bert: 'BertLayer', roberta: 'RobertaLayer', 'xlm-roberta': 'XLMRobertaLayer', electra: 'ElectraLayer' };

/** The pooler BertModel and RobertaModel add: dense + tanh on the first token. */
const pooler = (h: number): LayerSpec =>
  block('pooler', [
    // The pooler reads the first token: hidden_states[:, 0].
    op('split', { dim: 1, split_size: 1 }, { name: 'first_token', role: 'head' }),
    op('squeeze', { dim: 1 }, { name: 'squeeze', role: 'head', inputs: ['first_token:0'] }),
    linear('dense', h, true, 'head'),
    activation('activation', 'tanh', 'head'),
  ]);

/** The Spec of a BERT, RoBERTa, XLM-R or ELECTRA config. */
export function bert(cfg: HfConfig, name: string): Spec {
  const electra = cfg.family === 'electra';
  const { hidden: h, layers, heads, inter, vocab, positions, types, act } = readEncoder(cfg);
  const e = electra ? cfg.int('embedding_size') : h;
  const kind = cfg.str('position_embedding_type', 'absolute');
  if (kind !== 'absolute') cfg.fail('position_embedding_type', `position_embedding_type '${kind}' adds distance embeddings nncalc does not build; only 'absolute' is supported.`, 'unsupported');
  if (cfg.bool('add_cross_attention', false)) cfg.fail('add_cross_attention', 'an encoder with cross-attention (a decoder) is not supported.', 'unsupported');

  const arch = cfg.architecture;
  const prefix = cfg.family === 'bert' ? 'bert' : electra ? 'electra' : 'roberta';
  const base: LayerSpec[] = [
    bertEmbeddings(vocab, e, positions, types),
    ...(e !== h ? [linear('embeddings_project', h, true, 'embeddings')] : []),
    block('encoder', [stack(cfg, 'layer', layers, LAYER[cfg.family]!, () => bertLayer({ hidden: h, heads, inter, act }))]),
  ];
  const word = `${prefix}.embeddings.word_embeddings.weight`;
  const share = tied(cfg, cfg.bool('tie_word_embeddings'));
  const decoder = (layerName: string, bias = true): LayerSpec => linear(layerName, vocab, bias, 'head', share ? { tied: word } : {});
  let model: LayerSpec[];
  let note: string;
  if (arch.endsWith('Model')) {
    model = electra ? base : [...base, pooler(h)];
    note = electra ? 'ElectraModel has no pooler.' : 'The pooler (dense + tanh on the first token) is part of the *Model class and of its published parameter count.';
  } else if (arch === 'BertForMaskedLM') {
    model = [
      block('bert', base),
      block('cls', [
        block('predictions', [
          block('transform', [linear('dense', h, true, 'head'), activation('transform_act_fn', act, 'head'), op('layernorm', {}, { name: 'LayerNorm', role: 'head' })]),
          decoder('decoder'),
        ]),
      ]),
    ];
    note = `The decoder's weight is ${word}${share ? ' (counted once)' : ''}; its bias is cls.predictions.bias.`;
  } else if (arch === 'ElectraForPreTraining') {
    model = [block('electra', base), block('discriminator_predictions', [linear('dense', h, true, 'head'), activation('activation', act, 'head'), linear('dense_prediction', 1, true, 'head')])];
    note = 'The discriminator head scores each token as original or replaced: dense, then dense_prediction to one logit.';
  } else if (arch === 'ElectraForMaskedLM') {
    model = [
      block('electra', base),
      block('generator_predictions', [linear('dense', e, true, 'head'), activation('activation', 'gelu', 'head'), op('layernorm', {}, { name: 'LayerNorm', role: 'head' })]),
      decoder('generator_lm_head'),
    ];
    note = `generator_lm_head's weight is ${word}${share ? ' (counted once)' : ''}.`;
  } else {
    // RobertaForMaskedLM, XLMRobertaForMaskedLM: lm_head.dense, gelu, lm_head.layer_norm, lm_head.decoder (its bias is lm_head.bias).
    model = [
      block('roberta', base),
      block('lm_head', [linear('dense', h, true, 'head'), activation('gelu', 'gelu', 'head'), op('layernorm', {}, { name: 'layer_norm', role: 'head' }), decoder('decoder')]),
    ];
    note = `lm_head.decoder's weight is ${word}${share ? ' (counted once)' : ''}; its bias is lm_head.bias.`;
  }
  const last = `${arch.endsWith('Model') ? '' : `${prefix}.`}encoder.layer.${layers.value - 1}.output.LayerNorm`;
  return lmSpec(
    name,
    cfg,
    defaultSeq(positions),
    model,
    [note, ...(e !== h ? [`Embeddings of width embedding_size=${e} are projected to hidden_size=${h} by embeddings_project.`] : [])],
    { positions: { max: positions, kind: 'learned', key: 'max_position_embeddings' }, ...(arch.endsWith('Model') && !electra ? { outputs: [last, 'pooler.activation'] } : {}) },
  );
}
