/**
 * @module
 * The pieces of the BERT-style encoders (BERT, RoBERTa, XLM-R, ELECTRA, ALBERT, DistilBERT, DeBERTa): the embeddings
 * block (word, position and token-type tables added and normalised) and the post-norm layer, LayerNorm(x + attention(x))
 * then LayerNorm(x + MLP(x)), under BERT's module names.
 */
import { block, residual, type LayerSpec } from '../../describe/spec.js';
import { headDim, type HfConfig, type LayerCount } from './config.js';
import { activation, add, attention, embedding, layerNorm, linear } from './layers.js';

/** The keys every BERT-style config has, read with the family's defaults; the heads must divide hidden_size. */
export function readEncoder(cfg: HfConfig): BertLayerShape & { layers: LayerCount; vocab: number; positions: number; types: number } {
  const hidden = cfg.int('hidden_size');
  const heads = cfg.int('num_attention_heads');
  headDim(cfg, { key: 'hidden_size', value: hidden }, { key: 'num_attention_heads', value: heads });
  return {
    hidden,
    heads,
    layers: cfg.layers('num_hidden_layers'),
    inter: cfg.int('intermediate_size'),
    act: cfg.str('hidden_act'),
    vocab: cfg.int('vocab_size'),
    positions: cfg.int('max_position_embeddings'),
    types: cfg.int('type_vocab_size', undefined, 0),
  };
}

/** BERT's embeddings: word [V, E], position [P, E] and token type [T, E] (none when T is 0), added, then a LayerNorm. */
export function bertEmbeddings(vocab: number, width: number, positions: number | undefined, types: number): LayerSpec {
  // Position and token-type ids have the shape of the token ids, so these lookups read the input too.
  const tables = [
    embedding('word_embeddings', vocab, width),
    ...(positions !== undefined ? [embedding('position_embeddings', positions, width, { inputs: ['input'] })] : []),
    ...(types > 0 ? [embedding('token_type_embeddings', types, width, { inputs: ['input'] })] : []),
  ];
  return block('embeddings', [...tables, ...(tables.length > 1 ? [add('add', 'embeddings', tables.map((t) => (t as { name: string }).name))] : []), layerNorm('LayerNorm')]);
}

/** What a BERT layer needs. */
export interface BertLayerShape {
  readonly hidden: number;
  readonly heads: number;
  readonly inter: number;
  readonly act: string;
}

/**
 * One BERT layer: attention (q, k, v and attention.output.dense), its LayerNorm, intermediate.dense, output.dense,
 * LayerNorm. `self` replaces the attention by layers that read the layer's input by name (`input`) and end in
 * attention.output.dense (DeBERTa's attention.self reads the relative position table too).
 */
export function bertLayer(s: BertLayerShape, self?: { readonly layers: readonly LayerSpec[]; readonly input: string }): LayerSpec[] {
  const attn = self
    ? [...self.layers, add('attention.output.add', 'attention', ['attention.output.dense', self.input])]
    : [residual([attention('attention', { heads: s.heads, kvHeads: s.heads, headDim: s.hidden / s.heads, hidden: s.hidden, qkvBias: true, outBias: true, causal: false })], add('attention.output.add', 'attention'))];
  return [
    ...attn,
    layerNorm('attention.output.LayerNorm'),
    residual(
      [linear('intermediate.dense', s.inter, true, 'mlp'), activation('intermediate.intermediate_act_fn', s.act, 'mlp'), linear('output.dense', s.hidden, true, 'mlp')],
      add('output.add', 'mlp'),
    ),
    layerNorm('output.LayerNorm'),
  ];
}
