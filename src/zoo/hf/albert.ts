/**
 * @module
 * ALBERT (Lan et al. 2020) as `transformers`' AlbertModel and AlbertForMaskedLM: factorised embeddings (word, position
 * and token-type tables of width embedding_size, then encoder.embedding_hidden_mapping_in to hidden_size), and
 * num_hidden_groups groups of inner_group_num layers whose weights are shared across the depth: layer i runs group
 * ⌊i·groups/num_hidden_layers⌋. Each run is drawn as its own layers (the first named as PyTorch names the module,
 * later ones with #2, #3, …) whose weights are tied to the first run, so every shared layer is counted once.
 * AlbertModel adds the pooler; AlbertForMaskedLM a head (dense, LayerNorm, a decoder tied to the word embeddings).
 */
import { block, op, residual, type LayerSpec, type OpSpec, type Spec } from '../../describe/spec.js';
import type { HfConfig } from './config.js';
import { bertEmbeddings, readEncoder } from './encoder.js';
import { activation, add, attention, countOps, defaultSeq, layerNorm, linear, lmSpec, tied } from './layers.js';

/** The Spec of an ALBERT config. */
export function albert(cfg: HfConfig, name: string): Spec {
  const { hidden: h, layers, heads, inter, vocab, positions, types, act } = readEncoder(cfg);
  const e = cfg.int('embedding_size');
  const groups = cfg.layers('num_hidden_groups').value;
  const innerCount = cfg.layers('inner_group_num');
  const inner = innerCount.value;
  const d = h / heads;
  if (groups > layers.value) cfg.fail('num_hidden_groups', `num_hidden_groups=${groups} cannot exceed num_hidden_layers=${layers.value}: each group runs at least once.`);

  const mlm = cfg.architecture === 'AlbertForMaskedLM';
  const p = mlm ? 'albert.' : '';
  /** An op of run `k` (from 1) of layer j of group g: its own weights on the first run, tied to them after. */
  const shared = (o: OpSpec, g: number, j: number, k: number): OpSpec => (k === 1 ? o : { ...o, tied: { '*': `${p}encoder.albert_layer_groups.${g}.albert_layers.${j}.${o.name}` } });
  const albertLayer = (g: number, j: number, k: number): LayerSpec[] => [
    residual(
      [shared(attention('attention', { heads, kvHeads: heads, headDim: d, hidden: h, qkvBias: true, outBias: true, causal: false }), g, j, k)],
      add('attention.add', 'attention'),
    ),
    shared(layerNorm('attention.LayerNorm'), g, j, k),
    residual([shared(linear('ffn', inter, true, 'mlp'), g, j, k), activation('activation', act, 'mlp'), shared(linear('ffn_output', h, true, 'mlp'), g, j, k)], add('ffn.add', 'mlp')),
    shared(layerNorm('full_layer_layer_norm'), g, j, k),
  ];
  cfg.charge(innerCount, layers.value * countOps(albertLayer(0, 0, 1)));
  const runs = new Array<number>(groups).fill(0);
  const encoder: LayerSpec[] = [linear('embedding_hidden_mapping_in', h, true, 'embeddings')];
  const perGroup = layers.value / groups;
  for (let i = 0; i < layers.value; i++) {
    const g = Math.floor(i / perGroup);
    const k = ++runs[g]!;
    const layersOfGroup = Array.from({ length: inner }, (_, j): LayerSpec => ({ block: String(j), type: 'AlbertLayer', layers: albertLayer(g, j, k) }));
    encoder.push({ block: k === 1 ? String(g) : `${g}#${k}`, type: 'AlbertLayerGroup', layers: [{ block: 'albert_layers', type: 'ModuleList', layers: layersOfGroup }] });
  }
  const base: LayerSpec[] = [bertEmbeddings(vocab, e, positions, types), block('encoder', [encoder[0]!, block('albert_layer_groups', encoder.slice(1))])];
  const share = tied(cfg, cfg.bool('tie_word_embeddings'));
  const model: LayerSpec[] = mlm
    ? [
        block('albert', base),
        block('predictions', [
          linear('dense', e, true, 'head'),
          activation('activation', act, 'head'),
          op('layernorm', {}, { name: 'LayerNorm', role: 'head' }),
          linear('decoder', vocab, true, 'head', share ? { tied: 'albert.embeddings.word_embeddings.weight' } : {}),
        ]),
      ]
    : [
        ...base,
        block(undefined, [
          op('select', { dim: 1, index: 0 }, { name: 'first_token', role: 'head' }),
          linear('pooler', h, true, 'head'),
          activation('pooler_activation', 'tanh', 'head'),
        ]),
      ];
  const distinct = groups * inner;
  const lastGroup = Math.floor((layers.value - 1) / perGroup);
  const lastRun = runs[lastGroup]!;
  const last = `encoder.albert_layer_groups.${lastGroup}${lastRun > 1 ? `#${lastRun}` : ''}.albert_layers.${inner - 1}.full_layer_layer_norm`;
  return lmSpec(name, cfg, defaultSeq(positions), model, [
    `${layers.value} layers share ${distinct} distinct layer${distinct > 1 ? 's' : ''} (${groups} group${groups > 1 ? 's' : ''} of ${inner}): each shared layer's weights are counted once, at its first run; later runs (#2, #3, …) add MACs, not parameters.`,
    `Factorised embeddings: tables of width embedding_size=${e}, mapped to hidden_size=${h} by encoder.embedding_hidden_mapping_in.`,
    ...(mlm && share ? ["predictions.decoder's weight is albert.embeddings.word_embeddings.weight (counted once); its bias is predictions.bias."] : []),
  ], mlm ? {} : { outputs: [last, 'pooler_activation'] });
}
