/**
 * @module
 * What every command shares: reading a model argument (zoo name, notation, spec file, stdin) and the
 * parsed options.
 */
import { readFile, stat } from 'node:fs/promises';
import type { LoadedFile } from './model-file.js';
import { MAX_TEXT_BYTES } from '../limits.js';
import type { Convention, Report } from '../analyze/index.js';
import type { Io } from './main.js';
import { ModelError } from '../errors.js';
import type { RenderFormat } from '../render/index.js';
import type { Spec } from '../describe/spec.js';
import type { MemoryOptions } from '../memory/index.js';
import type { Shape } from '../types.js';

/** Settings that may differ between the two sides of a diff; absent ones keep the command line's. */
export interface LoadOverrides {
  readonly input?: Shape;
  readonly batch?: number;
  readonly seq?: number;
  readonly convention?: Convention;
  /** Memory options replacing the command line's (fit's search, diff --vs-dtype). */
  readonly memory?: MemoryOptions;
}

/** The parsed command line, shared by the subcommands. */
export interface CliContext {
  readonly io: Io;
  /** Every option as parsed (strings and booleans), for options only one command uses. */
  readonly values: Readonly<Record<string, string | boolean | readonly string[] | undefined>>;
  readonly format: RenderFormat;
  readonly width: number;
  readonly color: boolean;
  /** --convention when given; absent, each model counts in its own (Keras's models in 'keras'). */
  readonly convention?: Convention;
  readonly depth?: number;
  /** Reads and analyses one model argument with the command line's input, batch, seq, convention and notation options. */
  load(arg: string): Promise<Report>;
  /** Like load, with some settings replaced. The same argument is read once, so '-' can be analysed twice. */
  loadWith(arg: string, overrides: LoadOverrides): Promise<Report>;
  /** A usage error (exit code 2). */
  usage(message: string): ModelError;
}

/** A subcommand: its positional arguments and the context → exit code. */
export type Command = (args: readonly string[], ctx: CliContext) => Promise<number>;

/** A model file as the loader hands it on: read, not yet analysed. */
export type { LoadedFile } from './model-file.js';
import type { FileOptions } from './model-file.js';

/** File names whose extension says they are model files (not specs); a TF.js model is a model.json. */
const MODEL_FILE = /\.(safetensors|gguf|onnx|pt|pth|bin|ckpt|keras|h5|hdf5)$|\.(safetensors|bin|pth?)\.index\.json$|(^|[\\/])model\.json$/i;

/** True when the argument names a model file or folder: hf:…, http(s)://…, a directory, a model file's extension. */
async function isModelArg(arg: string): Promise<boolean> {
  if (arg.startsWith('hf:') || /^https?:\/\//i.test(arg) || MODEL_FILE.test(arg)) return true;
  if (arg === '-' || /\.(ya?ml|json|txt|nn)$/i.test(arg) || arg.includes('\n')) return false;
  return (await stat(arg).catch(() => undefined))?.isDirectory() ?? false;
}

/** Resolves a model argument: '-' (stdin), a model file or folder, a spec or notation file, a zoo name or notation text. */
export async function loadSource(arg: string, io: Io, offline = false, read: FileOptions['read'] = {}): Promise<string | Spec | LoadedFile> {
  if (await isModelArg(arg)) {
    const { loadModelFile } = await import('./model-file.js');
    return loadModelFile(arg, { offline, env: io.env, read });
  }
  const text = arg === '-' ? await io.readStdin() : /\.(ya?ml|json|txt|nn)$/i.test(arg) ? await readText(arg) : undefined;
  if (text === undefined) return arg;
  const spec = /\.txt$|\.nn$/i.test(arg) || (arg === '-' && !/^\s*[{[]|^\s*layers\s*:/m.test(text));
  if (spec) return text;
  // A Hugging Face config.json names its model_type; anything else in JSON is an nncalc spec.
  if (/"model_type"\s*:/.test(text)) {
    const { parseJson: locatedJson } = await import('../describe/json.js');
    const parsed = locatedJson(text, true)!;
    const config = parsed.value;
    if (config && typeof config === 'object' && !Array.isArray(config) && 'model_type' in config) {
      const { fromHfConfig } = await import('../zoo/hf/index.js');
      try {
        return fromHfConfig(config, hfName(arg));
      } catch (e) {
        // A config error names its key path; point at the key's value in the file, with line and column.
        if (!(e instanceof ModelError) || e.loc?.kind !== 'path') throw e;
        const at = parsed.locs.value(e.loc.path);
        const loc = at.kind === 'text' ? { ...at, source: text } : at;
        throw new ModelError(e.code, e.message, { loc, layer: e.layer, details: e.details });
      }
    }
  }
  const { parseSpecText } = await import('../describe/from-object.js');
  return parseSpecText(text, arg === '-' ? undefined : arg);
}


/** 'models/llama-2-7b/config.json' → 'llama-2-7b'; a bare config.json takes no name. */
function hfName(file: string): string | undefined {
  const parts = file.split(/[\\/]/);
  const base = parts.at(-1)!.replace(/\.json$/i, '');
  return base === 'config' ? parts.at(-2) : base;
}

export async function readText(path: string): Promise<string> {
  try {
    const { size } = await stat(path);
    if (size > MAX_TEXT_BYTES) {
      throw new ModelError('input', `'${path}' is ${(size / 1024 / 1024).toFixed(1)} MiB; nncalc reads text inputs (notation, specs, configs, claims) up to ${MAX_TEXT_BYTES / 1024 / 1024} MiB.`);
    }
    return await readFile(path, 'utf8');
  } catch (e) {
    if (e instanceof ModelError) throw e;
    const code = (e as { code?: string }).code;
    throw new ModelError('input', `cannot read '${path}': ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : String(code ?? e)}.`);
  }
}

