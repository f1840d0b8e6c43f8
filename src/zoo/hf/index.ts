/**
 * @module
 * Transformers from a Hugging Face config.json, and the zoo's transformers built the same way from the
 * published configs (configs.ts).
 */
import type { Spec } from '../../describe/spec.js';
import type { ZooEntry } from '../entry.js';
import { albert } from './albert.js';
import { bart } from './bart.js';
import { bert } from './bert.js';
import { distilbert } from './distilbert.js';
import { bloom } from './bloom.js';
import { clip } from './clip.js';
import { deberta } from './deberta.js';
import { deepseek } from './deepseek.js';
import { mamba } from './mamba.js';
import { gptj, gptNeox } from './eleuther.js';
import { falcon } from './falcon.js';
import { mpt } from './mpt.js';
import { gemma3, llava } from './multimodal.js';
import { opt } from './opt.js';
import { readConfig, type HfConfig } from './config.js';
import { HF_CONFIGS } from './configs.js';
import { gpt2 } from './gpt2.js';
import { llama } from './llama.js';
import { phi } from './phi.js';
import { t5 } from './t5.js';
import { vit } from './vision.js';
import { whisper } from './whisper.js';

const BUILDERS: Readonly<Record<HfConfig['family'], (cfg: HfConfig, name: string) => Spec>> = {
  bert,
  roberta: bert,
  'xlm-roberta': bert,
  electra: bert,
  distilbert,
  albert,
  'deberta-v2': deberta,
  gpt2,
  gpt_bigcode: gpt2,
  gpt_neox: gptNeox,
  gptj,
  opt,
  bloom,
  falcon,
  mpt,
  llama,
  mistral: llama,
  mixtral: llama,
  qwen2: llama,
  qwen3: llama,
  gemma: llama,
  gemma2: llama,
  gemma3_text: llama,
  qwen2_moe: llama,
  qwen3_moe: llama,
  phi3: llama,
  starcoder2: llama,
  stablelm: llama,
  olmo: llama,
  olmo2: llama,
  granite: llama,
  deepseek_v2: deepseek,
  deepseek_v3: deepseek,
  mamba,
  mamba2: mamba,
  phi,
  t5,
  bart,
  mbart: bart,
  marian: bart,
  whisper,
  vit,
  dinov2: vit,
  clip,
  siglip: clip,
  llava,
  gemma3,
};

/**
 * The Spec of a model from its config.json (already parsed). `architectures[0]` picks the head; missing keys take
 * the family's defaults. The name defaults to the config's `_name_or_path`, else its model_type.
 * @example summarize(fromHfConfig(JSON.parse(readFileSync('config.json', 'utf8')))).totals.params
 */
export function fromHfConfig(config: unknown, name?: string): Spec {
  const cfg = readConfig(config);
  const path = cfg.raw['_name_or_path'];
  const spec = BUILDERS[cfg.family](cfg, name ?? (typeof path === 'string' && path !== '' ? path : (cfg.assumed ?? cfg.family)));
  return cfg.assumed === undefined ? spec : assumedLlama(spec, cfg.assumed);
}

/** A Spec built as Llama for a model_type nncalc does not know: it says which architecture it assumed, and that its totals are approximate. */
function assumedLlama(spec: Spec, type: string): Spec {
  const assumption =
    `model_type '${type}' is not a family nncalc knows; it is counted as a Llama-like decoder (LlamaForCausalLM: RMSNorm, ` +
    'q/k/v/o attention with grouped key/value heads, a gated MLP, an lm_head unless tie_word_embeddings), so the totals are approximate.';
  return {
    ...spec,
    source: `Hugging Face config.json (model_type '${type}', assumed Llama-like)`,
    notes: [assumption, ...(spec.notes ?? [])],
    approximate: `model_type '${type}' counted as a Llama-like decoder`,
  };
}

/** The zoo's transformers, in the order `nncalc list` shows them. */
export const hfModels: readonly ZooEntry[] = HF_CONFIGS.map((m) => ({
  name: m.name,
  title: m.title,
  source: `huggingface.co/${m.repo} config.json${m.architecture ? ` as ${m.architecture}` : ''}`,
  ...(m.published !== undefined ? { published: m.published } : {}),
  spec: () => fromHfConfig(m.architecture ? { ...m.config, architectures: [m.architecture] } : m.config, m.name),
}));
