/**
 * @module
 * BART (Lewis et al. 2020), mBART and Marian as `transformers`' BartModel / BartForConditionalGeneration,
 * MBartForConditionalGeneration / MBartModel and MarianMTModel / MarianModel: an encoder and a decoder of attention
 * (q, k, v, out_proj, biases) and fc1/fc2 layers, one token table `shared` that both stacks read (Marian can keep two:
 * share_encoder_decoder_embeddings false), and an lm_head tied to the decoder's table. BART: learned positions with two
 * extra rows and a layernorm_embedding per stack, post-norm layers. mBART: pre-norm layers and a final layer_norm per
 * stack. Marian: sinusoidal position tables (frozen, counted by num_parameters()) and post-norm layers.
 * final_logits_bias [1, V] is a buffer, not a parameter.
 *
 * Two inputs, as for T5: the encoder's token ids (`input`, which --seq sets) and the decoder's (`decoder_input_ids`).
 */
import { block, residual, type LayerSpec, type OpSpec, type Spec } from '../../describe/spec.js';
import type { HfConfig } from './config.js';
import { activation, add, attention, DEFAULT_SEQ, defaultSeq, embedding, layerNorm, linear, lmSpec, stack, tied, type AttentionShape } from './layers.js';
import { DECODER_INPUT } from './t5.js';

/** A sub-layer x → x + f(x) with its norm after (post-norm) or before (pre-norm). */
function sublayer(pre: boolean, norm: string, body: readonly LayerSpec[], merge: OpSpec): LayerSpec[] {
  return pre ? [residual([layerNorm(norm), ...body], merge)] : [residual(body, merge), layerNorm(norm)];
}

const LAYER: Readonly<Record<string, string>> = { bart: 'Bart', mbart: 'MBart', marian: 'Marian' };

/** The Spec of a BART, mBART or Marian config. */
export function bart(cfg: HfConfig, name: string): Spec {
  const fam = cfg.family;
  const pre = fam === 'mbart';
  const d = cfg.int('d_model');
  const vocab = cfg.int('vocab_size');
  const positions = cfg.int('max_position_embeddings');
  const act = cfg.str('activation_function');
  const share = fam === 'marian' ? cfg.bool('share_encoder_decoder_embeddings') : true;
  const targetVocab = share ? vocab : cfg.int('decoder_vocab_size', vocab);
  const rows = fam === 'marian' ? positions : positions + 2;
  const lm = /ForConditionalGeneration$|MTModel$/.test(cfg.architecture);
  const p = lm ? 'model.' : '';
  const counts = { encoder: cfg.layers('encoder_layers'), decoder: cfg.layers('decoder_layers') };
  const last = (s: 'encoder' | 'decoder') => `${p}${s}.${pre ? 'layer_norm' : `layers.${counts[s].value - 1}.final_layer_norm`}`;

  const side = (s: 'encoder' | 'decoder'): LayerSpec => {
    const heads = cfg.int(`${s}_attention_heads`);
    const ffn = cfg.int(`${s}_ffn_dim`);
    if (d % heads !== 0) cfg.fail(`${s}_attention_heads`, `the attention heads must divide d_model=${d}. Received: ${s}_attention_heads=${heads}.`);
    const shape = (causal: boolean): AttentionShape => ({ heads, kvHeads: heads, headDim: d / heads, hidden: d, qkvBias: true, outBias: true, causal });
    const ids = s === 'encoder' ? 'input' : DECODER_INPUT;
    const mlp = [linear('fc1', ffn, true, 'mlp'), activation('activation_fn', act, 'mlp'), linear('fc2', d, true, 'mlp')];
    const cross = (): LayerSpec[] =>
      pre
        ? [residual([layerNorm('encoder_attn_layer_norm'), attention('encoder_attn', shape(false), ['encoder_attn_layer_norm', last('encoder')])], add('encoder_attn_residual', 'attention'))]
        : [residual([attention('encoder_attn', shape(false), ['self_attn_layer_norm', last('encoder')])], add('encoder_attn_residual', 'attention')), layerNorm('encoder_attn_layer_norm')];
    const layer = (): LayerSpec[] => [
      ...sublayer(pre, 'self_attn_layer_norm', [attention('self_attn', shape(s === 'decoder'))], add('self_attn_residual', 'attention')),
      ...(s === 'decoder' ? cross() : []),
      ...sublayer(pre, 'final_layer_norm', mlp, add('mlp_residual', 'mlp')),
    ];
    // The encoder reads `shared` itself (drawn once, before it); the decoder's embed_tokens is the same table.
    const own = !(s === 'encoder' && share);
    const tokens = own ? [embedding('embed_tokens', s === 'decoder' ? targetVocab : vocab, d, { inputs: [ids], ...(share ? { tied: `${p}shared.weight` } : {}) })] : [];
    return block(s, [
      ...tokens,
      embedding('embed_positions', rows, d, { inputs: [ids] }),
      add('embed_add', 'embeddings', [own ? 'embed_tokens' : `${p}shared`, 'embed_positions']),
      ...(fam === 'marian' ? [] : [layerNorm('layernorm_embedding')]),
      stack(cfg, 'layers', counts[s], `${LAYER[fam]}${s === 'encoder' ? 'Encoder' : 'Decoder'}Layer`, layer),
      ...(pre ? [layerNorm('layer_norm')] : []),
    ]);
  };
  const base: LayerSpec[] = [...(share ? [embedding('shared', vocab, d)] : []), side('encoder'), side('decoder')];
  const head = tied(cfg, cfg.bool('tie_word_embeddings'));
  const table = share ? `${p}shared.weight` : `${p}decoder.embed_tokens.weight`;
  const layers = lm ? [block('model', base), linear('lm_head', targetVocab, false, 'head', head ? { tied: table } : {})] : base;
  return lmSpec(
    name,
    cfg,
    defaultSeq(positions),
    layers,
    [
      share ? `${p}shared is the token table of the encoder and the decoder (decoder.embed_tokens)${lm && head ? ' and of lm_head' : ''}: counted once.` : 'The encoder and the decoder keep their own token tables.',
      fam === 'marian'
        ? 'embed_positions are fixed sinusoids: frozen, but parameters that num_parameters() counts; MarianMTModel does not save them, so its checkpoints hold 2·P·d fewer values.'
        : `embed_positions have max_position_embeddings + 2 = ${rows} rows: positions start at 2.`,
      pre ? 'Pre-norm layers and a final layer_norm per stack.' : 'Post-norm layers: LayerNorm(x + sub-layer(x)).',
      ...(lm ? ['final_logits_bias [1, V] is a buffer added to the logits: not a parameter.'] : []),
      `The decoder reads its own token ids, ${DECODER_INPUT} [1, ${DEFAULT_SEQ}]; --seq sets the encoder's length only.`,
    ],
    { extraInputs: [{ name: DECODER_INPUT, shape: [1, DEFAULT_SEQ] }] },
  );
}
