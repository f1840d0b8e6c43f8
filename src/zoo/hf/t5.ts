/**
 * @module
 * T5 (Raffel et al. 2020) as `transformers`' T5ForConditionalGeneration, T5Model and T5EncoderModel. No biases;
 * norms are RMS norms with a weight only. Each block: layer.0 self-attention, (decoder) layer.1 cross-attention
 * over the encoder output, then the feed-forward DenseReluDense (wi, act, wo; gated: act(wi_0) · wi_1, then wo),
 * each as x + sublayer(layer_norm(x)). Only block 0 of each stack owns relative_attention_bias, an
 * Embedding(relative_attention_num_buckets, num_heads) the later blocks reuse.
 *
 * Two inputs: the encoder's token ids (`input`, which --seq sets) and the decoder's (`decoder_input_ids`).
 * The bias lookup really reads an [L, S] matrix of bucket ids; here it is drawn on the token ids, which changes
 * no count (a lookup has no MACs).
 */
import { block, parallel, residual, type LayerSpec, type Spec } from '../../describe/spec.js';
import type { HfConfig } from './config.js';
import { activation, add, attention, DEFAULT_SEQ, embedding, linear, lmSpec, mul, rmsNorm, stack, tied, type AttentionShape, type Role } from './layers.js';

export const DECODER_INPUT = 'decoder_input_ids';

/** The Spec of a T5 config. */
export function t5(cfg: HfConfig, name: string): Spec {
  const dModel = cfg.int('d_model');
  const dKv = cfg.int('d_kv');
  const ff = cfg.int('d_ff');
  const heads = cfg.int('num_heads');
  const encLayers = cfg.layers('num_layers');
  // Absent, the decoder takes num_layers, and an error about its depth points there.
  const decLayers = cfg.has('num_decoder_layers') ? cfg.layers('num_decoder_layers') : encLayers;
  const buckets = cfg.int('relative_attention_num_buckets', 32);
  const vocab = cfg.int('vocab_size');
  const proj = cfg.str('feed_forward_proj', 'relu');
  // "relu", "gelu", "gated-gelu", "gated-silu": an optional 'gated-' and an activation name.
  const parts = proj.split('-');
  const gated = parts.length === 2 && parts[0] === 'gated';
  if (parts.length > 2 || (parts.length === 2 && !gated)) {
    cfg.fail('feed_forward_proj', `'feed_forward_proj' must be an activation name such as 'relu', optionally prefixed with 'gated-' ('gated-gelu'). Received: feed_forward_proj='${proj}'.`);
  }
  // transformers runs 'gated-gelu' with the tanh approximation, gelu_new.
  const act = proj === 'gated-gelu' ? 'gelu_new' : parts[parts.length - 1]!;

  const attn = (causal: boolean): AttentionShape => ({ heads, kvHeads: heads, headDim: dKv, hidden: dModel, qkvBias: false, outBias: false, causal });
  /** Sub-layer `index` of a block, `layer.{index}`: x + body(layer_norm(x)). */
  const sub = (index: number, body: readonly LayerSpec[], role: Role): LayerSpec =>
    block('layer', [block(String(index), [residual([rmsNorm('layer_norm'), ...body], add('residual', role))])]);
  const ffn = (index: number): LayerSpec =>
    sub(
      index,
      [
        block(
          'DenseReluDense',
          gated
            ? [parallel([[linear('wi_0', ff, false, 'mlp'), activation('act', act, 'mlp')], [linear('wi_1', ff, false, 'mlp')]], mul('mul', 'mlp')), linear('wo', dModel, false, 'mlp')]
            : [linear('wi', ff, false, 'mlp'), activation('act', act, 'mlp'), linear('wo', dModel, false, 'mlp')],
        ),
      ],
      'mlp',
    );
  /** layer.0: self-attention; block 0 also owns the relative position bias. */
  const selfAttention = (i: number, ids: string, causal: boolean): LayerSpec =>
    sub(
      0,
      i === 0
        ? [embedding('SelfAttention.relative_attention_bias', buckets, heads, { inputs: [ids], role: 'attention' }), attention('SelfAttention', attn(causal), ['layer_norm'])]
        : [attention('SelfAttention', attn(causal))],
      'attention',
    );
  const encoder = block('encoder', [
    stack(cfg, 'block', encLayers, 'T5Block', (i) => [selfAttention(i, 'input', false), ffn(1)]),
    rmsNorm('final_layer_norm'),
  ]);

  const arch = cfg.architecture;
  const share = tied(cfg, true);
  const layers: LayerSpec[] = [embedding('shared', vocab, dModel), encoder];
  if (arch !== 'T5EncoderModel') {
    layers.push(
      block('decoder', [
        embedding('embed_tokens', vocab, dModel, { inputs: [DECODER_INPUT], tied: 'shared.weight' }),
        stack(cfg, 'block', decLayers, 'T5Block', (i) => [
          selfAttention(i, DECODER_INPUT, true),
          sub(1, [attention('EncDecAttention', attn(false), ['layer_norm', 'encoder.final_layer_norm'])], 'attention'),
          ffn(2),
        ]),
        rmsNorm('final_layer_norm'),
      ]),
    );
  }
  if (arch === 'T5ForConditionalGeneration') layers.push(linear('lm_head', vocab, false, 'head', share ? { tied: 'shared.weight' } : {}));
  const decoderNote = arch === 'T5EncoderModel' ? [] : [`The decoder reads its own token ids, ${DECODER_INPUT} [1, ${DEFAULT_SEQ}]; --seq sets the encoder's length only.`];
  return lmSpec(
    name,
    cfg,
    DEFAULT_SEQ,
    layers,
    [
      'shared is the token embedding of the encoder, the decoder (decoder.embed_tokens) and, when tied, lm_head: counted once.',
      'relative_attention_bias is an Embedding(buckets, heads) in block 0 of each stack, reused by the other blocks.',
      ...decoderNote,
    ],
    arch === 'T5EncoderModel' ? {} : { extraInputs: [{ name: DECODER_INPUT, shape: [1, DEFAULT_SEQ] }] },
  );
}
