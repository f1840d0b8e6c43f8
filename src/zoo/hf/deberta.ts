/**
 * @module
 * DeBERTa-v2 and v3 (model_type deberta-v2) as `transformers`' DebertaV2Model. Embeddings: word (width
 * embedding_size), position (only with position_biased_input) and token type (only when type_vocab_size > 0)
 * tables, embed_proj to hidden_size when the widths differ, and a LayerNorm. The encoder keeps one relative position
 * table rel_embeddings [2k, h] (k = position_buckets, else max_relative_positions, else max_position_embeddings),
 * normalised by encoder.LayerNorm when norm_rel_ebd says layer_norm, and read by every layer's attention.self (the
 * `disentangled_attention` op: c2p and p2c terms, and pos_key_proj/pos_query_proj unless share_att_key). With
 * conv_kernel_size > 0 (DeBERTa-v2-xlarge) encoder.conv mixes the embeddings into layer 0's output.
 */
import { block, op, type BlockSpec, type LayerSpec, type Spec } from '../../describe/spec.js';
import { show, type HfConfig } from './config.js';
import { bertLayer, readEncoder } from './encoder.js';
import { activation, add, countOps, defaultSeq, embedding, layerNorm, linear, lmSpec } from './layers.js';

/** pos_att_type as transformers reads it: 'p2c|c2p' or ['p2c', 'c2p']; null: none. */
function attentionTerms(cfg: HfConfig): string[] {
  const v = cfg.raw['pos_att_type'];
  if (v === undefined || v === null) return [];
  const list = typeof v === 'string' ? v.toLowerCase().split('|').map((t) => t.trim()) : Array.isArray(v) && v.every((t) => typeof t === 'string') ? (v as string[]) : undefined;
  if (!list || list.some((t) => t !== 'c2p' && t !== 'p2c')) return cfg.fail('pos_att_type', `'pos_att_type' lists the relative terms, 'c2p' and 'p2c', as 'p2c|c2p' or a list. Received: pos_att_type=${show(v)}.`);
  return list;
}

/** The Spec of a DeBERTa-v2 config. */
export function deberta(cfg: HfConfig, name: string): Spec {
  const { hidden: h, layers, heads, inter, vocab, positions, types, act } = readEncoder(cfg);
  const e = cfg.int('embedding_size', h);
  const relative = cfg.bool('relative_attention');
  const terms = relative ? attentionTerms(cfg) : [];
  const buckets = cfg.int('position_buckets', undefined, -(2 ** 31));
  const maxRel = cfg.int('max_relative_positions', undefined, -(2 ** 31));
  const span = buckets > 0 ? buckets : maxRel < 1 ? positions : maxRel;
  const normRel = cfg.str('norm_rel_ebd').includes('layer_norm');
  const convKernel = cfg.int('conv_kernel_size', undefined, 0);

  const tables = [
    embedding('word_embeddings', vocab, e),
    ...(cfg.bool('position_biased_input') ? [embedding('position_embeddings', positions, e, { inputs: ['input'] })] : []),
    ...(types > 0 ? [embedding('token_type_embeddings', types, e, { inputs: ['input'] })] : []),
  ];
  const embeddings = block('embeddings', [
    ...tables,
    ...(tables.length > 1 ? [add('add', 'embeddings', tables.map((t) => t.name!))] : []),
    ...(e !== h ? [linear('embed_proj', h, false, 'embeddings')] : []),
    layerNorm('LayerNorm'),
  ]);
  const rel = normRel ? 'encoder.LayerNorm' : 'encoder.rel_embeddings';
  const layer = (i: number, input: string): BlockSpec => ({
    block: String(i),
    type: 'DebertaV2Layer',
    layers: bertLayer(
      { hidden: h, heads, inter, act },
      {
        input,
        layers: [
          op(
            'disentangled_attention',
            { num_heads: heads, c2p: terms.includes('c2p'), p2c: terms.includes('p2c'), share_att_key: cfg.bool('share_att_key') },
            { name: 'attention.self', role: 'attention', inputs: relative ? [input, rel] : [input] },
          ),
          linear('attention.output.dense', h, true, 'attention'),
        ],
      },
    ),
  });
  cfg.charge(layers, countOps([layer(0, 'embeddings.LayerNorm')]));
  const conv: LayerSpec[] = convKernel
    ? [
        block('conv', [
          op('transpose', { dim0: 1, dim1: 2 }, { name: 'transpose', role: 'mlp', inputs: ['embeddings.LayerNorm'] }),
          op('conv1d', { out: h, kernel: convKernel, padding: Math.floor((convKernel - 1) / 2), groups: cfg.int('conv_groups') }, { name: 'conv', role: 'mlp' }),
          op('transpose', { dim0: 1, dim1: 2 }, { name: 'transpose_back', role: 'mlp' }),
          activation('conv_act', cfg.str('conv_act', 'tanh'), 'mlp'),
          add('add', 'mlp', ['conv_act', 'encoder.layer.0.output.LayerNorm']),
          layerNorm('LayerNorm'),
        ]),
      ]
    : [];
  const after0 = convKernel ? 'encoder.conv.LayerNorm' : 'encoder.layer.0.output.LayerNorm';
  const later = Array.from({ length: layers.value - 1 }, (_, k) => layer(k + 1, k === 0 ? after0 : `encoder.layer.${k}.output.LayerNorm`));
  const encoder = block('encoder', [
    ...(relative ? [op('parameter', { shape: [2 * span, h], mode: 'value' }, { name: 'rel_embeddings', role: 'attention', inputs: ['embeddings.LayerNorm'] })] : []),
    ...(relative && normRel ? [{ ...layerNorm('LayerNorm'), role: 'attention' as const }] : []),
    block('layer', [layer(0, 'embeddings.LayerNorm')]),
    ...conv,
    ...(later.length ? [block('layer', later)] : []),
  ]);
  return lmSpec(
    name,
    cfg,
    defaultSeq(positions),
    [embeddings, encoder],
    [
      relative
        ? `Relative attention: encoder.rel_embeddings holds 2·${span} relative positions; each attention.self adds ${terms.length ? terms.join(' and ') : 'no'} term${terms.length === 1 ? '' : 's'} to its scores${cfg.bool('share_att_key') && terms.length ? ', projecting the table with its own query_proj and key_proj (share_att_key)' : ''}.`
        : 'No relative attention: the attention scores are content to content only.',
      ...(e !== h ? [`Embeddings of width embedding_size=${e} are projected to ${h} by embed_proj.`] : []),
      ...(convKernel ? [`encoder.conv convolves the embeddings (kernel ${convKernel}) and adds them to layer 0's output.`] : []),
    ],
    { outputs: [`encoder.layer.${layers.value - 1}.output.LayerNorm`] },
  );
}
