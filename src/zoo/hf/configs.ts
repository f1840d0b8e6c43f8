/**
 * @module
 * Every zoo transformer's config, family by family, in the order `nncalc list` shows them.
 */
import { CLASSIC_CONFIGS } from './configs-classic.js';
import { DECODER_CONFIGS } from './configs-decoders.js';
import { DEEPSEEK_CONFIGS } from './configs-deepseek.js';
import { ENCODER_CONFIGS } from './configs-encoders.js';
import { LLAMA_CONFIGS } from './configs-llama.js';
import { SEQ2SEQ_CONFIGS } from './configs-seq2seq.js';
import { VISION_CONFIGS } from './configs-vision.js';
import type { HfZooConfig } from './zoo-config.js';

export type { HfZooConfig } from './zoo-config.js';

export const HF_CONFIGS: readonly HfZooConfig[] = [...CLASSIC_CONFIGS, ...ENCODER_CONFIGS, ...LLAMA_CONFIGS, ...DEEPSEEK_CONFIGS, ...DECODER_CONFIGS, ...SEQ2SEQ_CONFIGS, ...VISION_CONFIGS];
