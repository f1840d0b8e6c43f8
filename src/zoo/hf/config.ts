/**
 * @module
 * A Hugging Face config.json as plain data: which family it is (`model_type`), which class it asks for
 * (`architectures[0]`), and typed readers that fall back to the family's class defaults and name the key when a
 * value is missing or makes no sense. A key set to null counts as absent (except num_key_value_heads, see kvHeads).
 *
 * A model_type nncalc does not know, whose config has the standard decoder keys, is read as a Llama config and
 * remembered in `assumed`, so the Spec can say its totals are approximate. Layer counts are read with `layers`,
 * and every stack of layers is charged against the spec reader's limit (MAX_LAYERS) before it is built.
 */
import { MAX_LAYERS, MAX_SIZE } from '../../limits.js';
import { ModelError } from '../../errors.js';
import type { Loc } from '../../types.js';
import { DEFAULTS } from './defaults.js';
import { ARCHITECTURE_ALIASES, ARCHITECTURES, archsOf, DECODER_KEYS, FAMILIES, TYPE_ALIASES, type Family } from './families.js';

export { ARCHITECTURES, FAMILIES, type Family } from './families.js';

/** A layer count read from the config, with the key it came from (errors point there). */
export interface LayerCount {
  readonly key: string;
  readonly value: number;
}

/** A config.json with its family, its class and readers for its keys. */
export interface HfConfig {
  readonly family: Family;
  /** The config class whose defaults fill missing keys: the family, or a nested config's type ('clip_vision_model'). */
  readonly type: string;
  readonly architecture: string;
  readonly raw: Readonly<Record<string, unknown>>;
  /** The config's own model_type when nncalc did not know it and assumed a Llama-like decoder. */
  readonly assumed?: string;
  /** True when any of the keys is present and not null. */
  has(keys: string | readonly string[]): boolean;
  /**
   * An integer ≥ min (default 1) under the first of `keys` present (aliases such as n_embd and hidden_size); when none
   * is, `fallback`, else the config class's default (defaults.ts).
   */
  int(keys: string | readonly string[], fallback?: number, min?: number): number;
  /** A number (not necessarily whole) ≥ min, or the fallback or class default. */
  num(key: string, fallback?: number, min?: number): number;
  bool(key: string, fallback?: boolean): boolean;
  str(key: string, fallback?: string): string;
  /** The config class's default for a key (defaults.ts): a value, null when derived from other keys, undefined when unknown. */
  classDefault(key: string): number | boolean | string | null | undefined;
  /** A list of integers ≥ 0 (Qwen-MoE's mlp_only_layers), or [] when absent. */
  ints(key: string): readonly number[];
  /** A number of layers, at most MAX_LAYERS. */
  layers(keys: string | readonly string[], fallback?: number, min?: number): LayerCount;
  /** Charges `count` repetitions of `perLayer` built layers against MAX_LAYERS; an error at the count's key past it. */
  charge(count: LayerCount, perLayer: number): void;
  /**
   * The same readers on a nested config (text_config, vision_config) of config class `type`, whose defaults fill its
   * missing keys: keys and errors carry the path, and the layers built count against the same limit.
   */
  sub(key: string, type: string, architecture?: string): HfConfig;
  fail(key: string, message: string, code?: 'spec' | 'unsupported'): never;
}

/** A config value as an error message quotes it, long strings cut. */
export const show = (v: unknown): string => (typeof v === 'string' ? `'${v.length > 80 ? `${v.slice(0, 80)}…` : v}'` : (JSON.stringify(v) ?? String(v)).slice(0, 200));
const at = (path: readonly string[]): Loc => ({ kind: 'path', path: [...path] });
const isObject = (v: unknown): v is Readonly<Record<string, unknown>> => typeof v === 'object' && v !== null && !Array.isArray(v);
const fmtInt = (n: number): string => n.toLocaleString('en-US');

/** The family of a config, or the Llama fallback for an unknown decoder (with the model_type it stands in for). */
function familyOf(raw: Readonly<Record<string, unknown>>): { family: Family; assumed?: string } {
  const type = raw['model_type'];
  const arch = Array.isArray(raw['architectures']) ? raw['architectures'][0] : undefined;
  const supported = `Supported families: ${FAMILIES.join(', ')}.`;
  if (type === undefined || type === null) {
    const found = FAMILIES.find((f) => typeof arch === 'string' && archsOf(f).includes(ARCHITECTURE_ALIASES[arch] ?? arch));
    if (found) return { family: found };
    throw new ModelError('spec', `config.json has no 'model_type', so nncalc cannot tell which family it is. ${supported}`, { loc: at(['model_type']) });
  }
  if (typeof type !== 'string') throw new ModelError('spec', `config.json: 'model_type' must be a string such as 'llama'. Received: model_type=${show(type)}.`, { loc: at(['model_type']) });
  if ((FAMILIES as readonly string[]).includes(type)) return { family: type as Family };
  if (Object.hasOwn(TYPE_ALIASES, type)) return { family: TYPE_ALIASES[type]! };
  const missing = DECODER_KEYS.filter((k) => typeof raw[k] !== 'number');
  if (missing.length === 0) return { family: 'llama', assumed: type };
  throw new ModelError(
    'unsupported',
    `config.json: model_type ${show(type)} is not supported. ${supported} A config of another decoder is counted as a Llama-like one when it sets ${DECODER_KEYS.join(', ')}; this one lacks ${missing.join(', ')}.`,
    { loc: at(['model_type']) },
  );
}

/** The shared state of one config and its nested configs: the layers built so far. */
interface Budget {
  built: number;
}

function reader(raw: Readonly<Record<string, unknown>>, family: Family, type: string, architecture: string, path: readonly string[], budget: Budget, assumed?: string): HfConfig {
  const fail = (key: string, message: string, code: 'spec' | 'unsupported' = 'spec'): never => {
    throw new ModelError(code, `config.json: ${message}`, { loc: at([...path, key]) });
  };
  const where = path.length ? ` in ${path.join('.')}` : '';
  const present = (key: string): boolean => raw[key] !== undefined && raw[key] !== null;
  const list = (keys: string | readonly string[]): readonly string[] => (typeof keys === 'string' ? [keys] : keys);
  const defaults = DEFAULTS[type] ?? {};
  /** The class default under any of the names, when it is a value of the asked kind. */
  const classDefault = <T>(names: readonly string[], kind: string): T | undefined => {
    const name = names.find((n) => Object.hasOwn(defaults, n));
    const v = name === undefined ? undefined : defaults[name];
    return typeof v === kind ? (v as T) : undefined;
  };
  const required = (names: readonly string[]): never =>
    fail(names[0]!, `'${names[0]}'${where} is required for model_type '${type}'${names.length > 1 ? ` (or ${names.slice(1).map((n) => `'${n}'`).join(', ')})` : ''}, but the config does not set it.`);
  const cfg: HfConfig = {
    family,
    type,
    architecture,
    raw,
    ...(assumed !== undefined ? { assumed } : {}),
    fail,
    has: (keys) => list(keys).some(present),
    int(keys, fallback, min = 1) {
      const names = list(keys);
      const key = names.find(present);
      if (key === undefined) return fallback ?? classDefault<number>(names, 'number') ?? required(names);
      const v = raw[key];
      if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > MAX_SIZE) {
        return fail(key, `'${key}'${where} must be an integer from ${fmtInt(min)} to ${fmtInt(MAX_SIZE)}. Received: ${key}=${show(v)}.`);
      }
      return v;
    },
    num(key, fallback, min = 0) {
      if (!present(key)) return fallback ?? classDefault<number>([key], 'number') ?? required([key]);
      const v = raw[key];
      if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > MAX_SIZE) return fail(key, `'${key}'${where} must be a number from ${min} to ${fmtInt(MAX_SIZE)}. Received: ${key}=${show(v)}.`);
      return v;
    },
    bool(key, fallback) {
      if (!present(key)) return fallback ?? classDefault<boolean>([key], 'boolean') ?? required([key]);
      const v = raw[key];
      if (typeof v !== 'boolean') return fail(key, `'${key}'${where} must be true or false. Received: ${key}=${show(v)}.`);
      return v;
    },
    str(key, fallback) {
      if (!present(key)) return fallback ?? classDefault<string>([key], 'string') ?? required([key]);
      const v = raw[key];
      if (typeof v !== 'string') return fail(key, `'${key}'${where} must be a string. Received: ${key}=${show(v)}.`);
      return v;
    },
    classDefault: (key) => (Object.hasOwn(defaults, key) ? defaults[key] : undefined),
    ints(key) {
      if (!present(key)) return [];
      const v = raw[key];
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'number' || !Number.isSafeInteger(x) || x < 0)) {
        return fail(key, `'${key}'${where} must be a list of integers ≥ 0. Received: ${key}=${show(v)}.`);
      }
      return v as number[];
    },
    layers(keys, fallback, min = 1) {
      const names = list(keys);
      const value = cfg.int(names, fallback, min);
      const key = names.find(present) ?? names[0]!;
      if (value > MAX_LAYERS) fail(key, `'${key}'${where} asks for ${fmtInt(value)} layers; nncalc builds at most ${fmtInt(MAX_LAYERS)}. Received: ${key}=${value}.`);
      return { key, value };
    },
    charge(count, perLayer) {
      budget.built += count.value * perLayer;
      if (budget.built > MAX_LAYERS) {
        fail(
          count.key,
          `${count.key}=${count.value}${where} makes ${fmtInt(count.value * perLayer)} layers (${perLayer} per block), which brings the model past nncalc's limit of ${fmtInt(MAX_LAYERS)} layers.`,
        );
      }
    },
    sub(key, subType, subArchitecture = architecture) {
      const v = raw[key];
      if (v !== undefined && v !== null && !isObject(v)) fail(key, `'${key}'${where} must be an object of config keys. Received: ${key}=${show(v)}.`);
      // A nested config of a family nncalc builds (LLaVA's text_config) is read as that family.
      const own = (FAMILIES as readonly string[]).includes(subType) ? (subType as Family) : family;
      return reader(isObject(v) ? v : {}, own, subType, subArchitecture, [...path, key], budget);
    },
  };
  return cfg;
}

/**
 * Reads a parsed config.json.
 * @example readConfig(JSON.parse(text)).int(['n_embd', 'hidden_size'])
 */
export function readConfig(config: unknown): HfConfig {
  if (!isObject(config)) {
    throw new ModelError('spec', `a Hugging Face config must be a JSON object with keys such as model_type and hidden_size. Received: ${Array.isArray(config) ? 'an array' : show(config)}.`);
  }
  const raw = config;
  const { family, assumed } = familyOf(raw);
  const archs = raw['architectures'];
  if (archs !== undefined && archs !== null && (!Array.isArray(archs) || (archs.length > 0 && typeof archs[0] !== 'string'))) {
    throw new ModelError('spec', `config.json: 'architectures' must be a list of class names such as ["${ARCHITECTURES[family][0]}"]. Received: architectures=${show(archs)}.`, {
      loc: at(['architectures']),
    });
  }
  const named = Array.isArray(archs) ? (archs[0] as string | undefined) : undefined;
  let architecture = named === undefined ? ARCHITECTURES[family][0]! : (ARCHITECTURE_ALIASES[named] ?? named);
  if (assumed !== undefined) architecture = named !== undefined && named.endsWith('Model') && !named.endsWith('LMHeadModel') ? 'LlamaModel' : 'LlamaForCausalLM';
  if (!archsOf(family).includes(architecture)) {
    throw new ModelError('unsupported', `config.json: architecture '${architecture}' is not supported for model_type '${family}'. Supported: ${ARCHITECTURES[family].join(', ')}.`, {
      loc: at(['architectures']),
    });
  }
  return reader(raw, family, family, architecture, [], { built: 0 }, assumed);
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
export function kvHeads(cfg: HfConfig, heads: { key: string; value: number }, fallback: number, key = 'num_key_value_heads'): number {
  const explicitNull = cfg.raw[key] === null;
  const kv = explicitNull ? heads.value : cfg.int(key, fallback);
  if (heads.value % kv !== 0) {
    const why = cfg.has(key) ? '' : ` (the config leaves it out; model_type '${cfg.family}' defaults it to ${kv})`;
    cfg.fail(key, `${heads.key}=${heads.value} must be a multiple of ${key}, since each key/value head serves a group of query heads. Received: ${key}=${kv}${why}.`);
  }
  return kv;
}
