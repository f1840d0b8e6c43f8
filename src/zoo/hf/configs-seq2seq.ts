/**
 * @module
 * Zoo encoder-decoders: BART, mBART-50, Marian (OPUS-MT), Whisper.
 */
import type { HfZooConfig } from './zoo-config.js';

/** The keys an encoder-decoder config spells for both stacks. */
const stacks = (d: number, layers: number, ffn: number, heads: number) => ({
  activation_function: 'gelu',
  d_model: d,
  decoder_attention_heads: heads,
  decoder_ffn_dim: ffn,
  decoder_layers: layers,
  encoder_attention_heads: heads,
  encoder_ffn_dim: ffn,
  encoder_layers: layers,
});

const seq2seq = (arch: string, type: string, vocab: number, d: number, layers: number, ffn: number, heads: number, positions: number) => ({
  architectures: [arch],
  model_type: type,
  ...stacks(d, layers, ffn, heads),
  max_position_embeddings: positions,
  vocab_size: vocab,
});

const whisper = (d: number, layers: number, heads: number, ffn: number) => ({
  architectures: ['WhisperForConditionalGeneration'],
  model_type: 'whisper',
  ...stacks(d, layers, ffn, heads),
  max_source_positions: 1500,
  max_target_positions: 448,
  num_mel_bins: 80,
  vocab_size: 51865,
});

export const SEQ2SEQ_CONFIGS: readonly HfZooConfig[] = [
  { name: 'bart-base', title: 'BART-base as BartModel: 6 + 6 post-norm layers, d 768, one shared token table', repo: 'facebook/bart-base', config: seq2seq('BartModel', 'bart', 50265, 768, 6, 3072, 12, 1024), published: 139_420_416 },
  { name: 'bart-large', title: 'BART-large as BartModel: 12 + 12 post-norm layers, d 1024', repo: 'facebook/bart-large', config: seq2seq('BartModel', 'bart', 50265, 1024, 12, 4096, 16, 1024), published: 406_291_456 },
  {
    name: 'mbart-large-50',
    title: 'mBART-50: 12 + 12 pre-norm layers, d 1024, vocabulary 250,054, tied lm_head',
    repo: 'facebook/mbart-large-50',
    config: seq2seq('MBartForConditionalGeneration', 'mbart', 250054, 1024, 12, 4096, 16, 1024),
    published: 610_879_488,
  },
  {
    name: 'opus-mt-en-de',
    title: 'Marian OPUS-MT English→German: 6 + 6 layers, d 512, sinusoidal positions, tied',
    repo: 'Helsinki-NLP/opus-mt-en-de',
    config: {
      ...seq2seq('MarianMTModel', 'marian', 58101, 512, 6, 2048, 8, 512),
      activation_function: 'swish',
      decoder_vocab_size: 58101,
      share_encoder_decoder_embeddings: true,
    },
    published: 74_410_496,
  },
  { name: 'whisper-tiny', title: 'Whisper tiny: conv front end, 4 + 4 layers, d 384, 30 s of log-mel audio', repo: 'openai/whisper-tiny', config: whisper(384, 4, 6, 1536), published: 37_760_640 },
  { name: 'whisper-base', title: 'Whisper base: conv front end, 6 + 6 layers, d 512', repo: 'openai/whisper-base', config: whisper(512, 6, 8, 2048), published: 72_593_920 },
];
