/**
 * @module
 * Whisper (Radford et al. 2022) as `transformers`' WhisperForConditionalGeneration and WhisperModel. The encoder reads
 * log-mel features [N, num_mel_bins, 2·max_source_positions] (3,000 frames, 30 s): conv1 (kernel 3) and conv2
 * (kernel 3, stride 2), each followed by GELU, halve the frames to max_source_positions; the fixed sinusoidal table
 * embed_positions [1500, d] is added (frozen, but a parameter, so counted); pre-norm layers; layer_norm. The decoder
 * reads token ids: embed_tokens plus a learned embed_positions [448, d], pre-norm layers with self-attention,
 * encoder_attn over the encoder output and an MLP, layer_norm; proj_out is tied to embed_tokens. Every k_proj has no
 * bias.
 */
import { block, op, residual, type LayerSpec, type Spec } from '../../describe/spec.js';
import type { HfConfig } from './config.js';
import { activation, add, attention, DEFAULT_SEQ, embedding, layerNorm, linear, modelSpec, stack, tied, type AttentionShape } from './layers.js';
import { DECODER_INPUT } from './t5.js';

/** The Spec of a Whisper config. */
export function whisper(cfg: HfConfig, name: string): Spec {
  const d = cfg.int('d_model');
  const vocab = cfg.int('vocab_size');
  const mel = cfg.int('num_mel_bins');
  const source = cfg.int('max_source_positions');
  const target = cfg.int('max_target_positions');
  const act = cfg.str('activation_function');
  const lm = cfg.architecture === 'WhisperForConditionalGeneration';
  const p = lm ? 'model.' : '';
  const counts = { encoder: cfg.layers('encoder_layers'), decoder: cfg.layers('decoder_layers') };

  const layers = (s: 'encoder' | 'decoder'): LayerSpec => {
    const heads = cfg.int(`${s}_attention_heads`);
    const ffn = cfg.int(`${s}_ffn_dim`);
    if (d % heads !== 0) cfg.fail(`${s}_attention_heads`, `the attention heads must divide d_model=${d}. Received: ${s}_attention_heads=${heads}.`);
    const shape = (causal: boolean): AttentionShape => ({ heads, kvHeads: heads, headDim: d / heads, hidden: d, qkvBias: true, outBias: true, causal });
    const attn = (n: string, causal: boolean, inputs?: readonly string[]) => {
      const o = attention(n, shape(causal), inputs);
      return { ...o, attrs: { ...o.attrs, k_bias: false } };
    };
    return stack(cfg, 'layers', counts[s], s === 'encoder' ? 'WhisperEncoderLayer' : 'WhisperDecoderLayer', () => [
      residual([layerNorm('self_attn_layer_norm'), attn('self_attn', s === 'decoder')], add('self_attn_residual', 'attention')),
      ...(s === 'decoder'
        ? [residual([layerNorm('encoder_attn_layer_norm'), attn('encoder_attn', false, ['encoder_attn_layer_norm', `${p}encoder.layer_norm`])], add('encoder_attn_residual', 'attention'))]
        : []),
      residual([layerNorm('final_layer_norm'), linear('fc1', ffn, true, 'mlp'), activation('activation_fn', act, 'mlp'), linear('fc2', d, true, 'mlp')], add('mlp_residual', 'mlp')),
    ]);
  };
  const front = (n: string, attrs: Record<string, unknown>) => op('conv1d', attrs, { name: n, role: 'embeddings' });
  const encoder = block('encoder', [
    front('conv1', { out: d, kernel: 3, padding: 1 }),
    activation('gelu1', 'gelu', 'embeddings'),
    front('conv2', { out: d, kernel: 3, stride: 2, padding: 1 }),
    activation('gelu2', 'gelu', 'embeddings'),
    op('transpose', { dim0: 1, dim1: 2 }, { name: 'transpose', role: 'embeddings' }),
    op('parameter', { shape: [source, d], mode: 'add' }, { name: 'embed_positions', role: 'embeddings' }),
    layers('encoder'),
    layerNorm('layer_norm'),
  ]);
  const decoder = block('decoder', [
    embedding('embed_tokens', vocab, d, { inputs: [DECODER_INPUT] }),
    embedding('embed_positions', target, d, { inputs: [DECODER_INPUT] }),
    add('embed_add', 'embeddings', ['embed_tokens', 'embed_positions']),
    layers('decoder'),
    layerNorm('layer_norm'),
  ]);
  const share = tied(cfg, cfg.bool('tie_word_embeddings'));
  const model = lm ? [block('model', [encoder, decoder]), linear('proj_out', vocab, false, 'head', share ? { tied: 'model.decoder.embed_tokens.weight' } : {})] : [encoder, decoder];
  const frames = 2 * source;
  return modelSpec(
    name,
    cfg,
    { shape: [1, mel, frames], describe: `log-mel features [batch, ${mel}, ${frames}] (30 s of audio), and token ids for the decoder` },
    model,
    [
      `conv2's stride 2 leaves ${source} positions, the rows of the encoder's embed_positions.`,
      `encoder.embed_positions holds fixed sinusoids: frozen, but a parameter (${(source * d).toLocaleString('en-US')} values), so counted.`,
      `The decoder reads token ids, ${DECODER_INPUT} [1, ${DEFAULT_SEQ}]; the audio length is fixed, so --seq does not apply.`,
      ...(lm && share ? ["proj_out's weight is model.decoder.embed_tokens.weight (counted once)."] : []),
    ],
    { extraInputs: [{ name: DECODER_INPUT, shape: [1, DEFAULT_SEQ] }] },
  );
}
