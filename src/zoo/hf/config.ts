/**
 * @module
 * A Hugging Face config.json as plain data: which family it is (`model_type`), which class it asks for
 * (`architectures[0]`), and typed readers that fall back to the family's class defaults and name the key when a
 * value is missing or makes no sense. A key set to null counts as absent (except num_key_value_heads, see kvHeads).
 */
import { ModelError } from '../../errors.js';
import type { Loc } from '../../types.js';

/** The `model_type` values nncalc builds. */
export const FAMILIES = ['bert', 'gpt2', 'llama', 'mistral', 'mixtral', 'qwen2', 'qwen3', 'gemma', 'gemma2', 'phi', 't5'] as const;
export type Family = (typeof FAMILIES)[number];

/** The classes each family supports, by `architectures[0]`; the first is used when the config names none. */
export const ARCHITECTURES: Readonly<Record<Family, readonly string[]>> = {
  bert: ['BertModel', 'BertForMaskedLM'],
  gpt2: ['GPT2LMHeadModel', 'GPT2Model'],
  llama: ['LlamaForCausalLM', 'LlamaModel'],
  mistral: ['MistralForCausalLM', 'MistralModel'],
  mixtral: ['MixtralForCausalLM', 'MixtralModel'],
  qwen2: ['Qwen2ForCausalLM', 'Qwen2Model'],
  qwen3: ['Qwen3ForCausalLM', 'Qwen3Model'],
  gemma: ['GemmaForCausalLM', 'GemmaModel'],
  gemma2: ['Gemma2ForCausalLM', 'Gemma2Model'],
  phi: ['PhiForCausalLM', 'PhiModel'],
  t5: ['T5ForConditionalGeneration', 'T5Model', 'T5EncoderModel'],
};

/** A config.json with its family, its class and readers for its keys. */
export interface HfConfig {
  readonly family: Family;
  readonly architecture: string;
  readonly raw: Readonly<Record<string, unknown>>;
  /** True when any of the keys is present and not null. */
  has(keys: string | readonly string[]): boolean;
  /** An integer ≥ min (default 1) under the first of `keys` present (aliases such as n_embd and hidden_size); `fallback` when none is. */
  int(keys: string | readonly string[], fallback?: number, min?: number): number;
  bool(key: string, fallback: boolean): boolean;
  str(key: string, fallback: string): string;
  fail(key: string, message: string, code?: 'spec' | 'unsupported'): never;
}

const show = (v: unknown): string => (typeof v === 'string' ? `'${v}'` : (JSON.stringify(v) ?? String(v)));
const at = (key: string): Loc => ({ kind: 'path', path: [key] });

/** The family of a config: its model_type, or, in old configs without one, the family of its architecture. */
function familyOf(raw: Readonly<Record<string, unknown>>): Family {
  const type = raw['model_type'];
  const arch = Array.isArray(raw['architectures']) ? raw['architectures'][0] : undefined;
  if (type === undefined || type === null) {
    const found = FAMILIES.find((f) => typeof arch === 'string' && ARCHITECTURES[f].includes(arch));
    if (found) return found;
    throw new ModelError('spec', `config.json has no 'model_type', so nncalc cannot tell which family it is. Expected one of ${FAMILIES.join(', ')}.`, {
      loc: at('model_type'),
    });
  }
  if (typeof type !== 'string' || !(FAMILIES as readonly string[]).includes(type)) {
    throw new ModelError('unsupported', `config.json: model_type ${show(type)} is not supported. Supported families: ${FAMILIES.join(', ')}.`, {
      loc: at('model_type'),
    });
  }
  return type as Family;
}

/**
 * Reads a parsed config.json.
 * @example readConfig(JSON.parse(text)).int(['n_embd', 'hidden_size'])
 */
export function readConfig(config: unknown): HfConfig {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new ModelError('spec', `a Hugging Face config must be a JSON object with keys such as model_type and hidden_size. Received: ${Array.isArray(config) ? 'an array' : show(config)}.`);
  }
  const raw = config as Readonly<Record<string, unknown>>;
  const family = familyOf(raw);
  const fail = (key: string, message: string, code: 'spec' | 'unsupported' = 'spec'): never => {
    throw new ModelError(code, `config.json: ${message}`, { loc: at(key) });
  };
  const archs = raw['architectures'];
  if (archs !== undefined && archs !== null && (!Array.isArray(archs) || (archs.length > 0 && typeof archs[0] !== 'string'))) {
    fail('architectures', `'architectures' must be a list of class names such as ["${ARCHITECTURES[family][0]}"]. Received: architectures=${show(archs)}.`);
  }
  const architecture = (Array.isArray(archs) ? (archs[0] as string | undefined) : undefined) ?? ARCHITECTURES[family][0]!;
  if (!ARCHITECTURES[family].includes(architecture)) {
    fail('architectures', `architecture '${architecture}' is not supported for model_type '${family}'. Supported: ${ARCHITECTURES[family].join(', ')}.`, 'unsupported');
  }
  const present = (key: string): boolean => raw[key] !== undefined && raw[key] !== null;
  const list = (keys: string | readonly string[]): readonly string[] => (typeof keys === 'string' ? [keys] : keys);
  return {
    family,
    architecture,
    raw,
    fail,
    has: (keys) => list(keys).some(present),
    int(keys, fallback, min = 1) {
      const names = list(keys);
      const key = names.find(present);
      if (key === undefined) {
        if (fallback !== undefined) return fallback;
        return fail(names[0]!, `'${names[0]}' is required for model_type '${family}'${names.length > 1 ? ` (or ${names.slice(1).map((n) => `'${n}'`).join(', ')})` : ''}, but the config does not set it.`);
      }
      const v = raw[key];
      if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) {
        return fail(key, `'${key}' must be an integer ≥ ${min}. Received: ${key}=${show(v)}.`);
      }
      return v;
    },
    bool(key, fallback) {
      if (!present(key)) return fallback;
      const v = raw[key];
      if (typeof v !== 'boolean') return fail(key, `'${key}' must be true or false. Received: ${key}=${show(v)}.`);
      return v;
    },
    str(key, fallback) {
      if (!present(key)) return fallback;
      const v = raw[key];
      if (typeof v !== 'string') return fail(key, `'${key}' must be a string. Received: ${key}=${show(v)}.`);
      return v;
    },
  };
}

/**
 * The size of one attention head: the `head_dim` key when the family has one and it is set, else `fallback`
 * (Gemma's 256, Qwen3's 128), else hidden/heads, which must then divide evenly.
 */
export function headDim(cfg: HfConfig, hidden: { key: string; value: number }, heads: { key: string; value: number }, fallback?: number): number {
  if (cfg.has('head_dim')) return cfg.int('head_dim');
  if (fallback !== undefined) return fallback;
  if (hidden.value % heads.value !== 0) {
    const ratio = `${hidden.value}/${heads.value} = ${(hidden.value / heads.value).toFixed(2)}`;
    return cfg.fail(heads.key, `the attention heads must divide ${hidden.key}=${hidden.value} when 'head_dim' is not given (${ratio}). Received: ${heads.key}=${heads.value}.`);
  }
  return hidden.value / heads.value;
}

/**
 * Key/value heads (grouped-query attention): the key, else the family default (Mistral's 8, Qwen2's 32). As in
 * `transformers`, an explicit null means as many as the query heads. Query heads must be a multiple.
 */
export function kvHeads(cfg: HfConfig, heads: { key: string; value: number }, fallback: number): number {
  const explicitNull = cfg.raw['num_key_value_heads'] === null;
  const kv = explicitNull ? heads.value : cfg.int('num_key_value_heads', fallback);
  if (heads.value % kv !== 0) {
    const why = cfg.has('num_key_value_heads') ? '' : ` (the config leaves it out; model_type '${cfg.family}' defaults it to ${kv})`;
    cfg.fail('num_key_value_heads', `${heads.key}=${heads.value} must be a multiple of num_key_value_heads, since each key/value head serves a group of query heads. Received: num_key_value_heads=${kv}${why}.`);
  }
  return kv;
}
