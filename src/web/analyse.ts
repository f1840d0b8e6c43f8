/**
 * @module
 * The worker's side of an analysis: what the page sent (editor text or a dropped file, and the settings as typed)
 * becomes a Report, and whatever goes wrong becomes an ErrorView that names the field, the line and column, and
 * the one-click fix when the message offers one.
 */
import type { Report } from '../analyze/report.js';
import type { Spec } from '../describe/spec.js';
import { formatError, formatPath, lineColumn, ModelError } from '../errors.js';
import { MAX_TEXT_BYTES } from '../limits.js';
import { parseShape, parseSize } from '../options.js';
import { summarize, type SummarizeOptions } from '../summarize.js';
import { fixFor } from './fix.js';
import type { ErrorView, Field, Options, Source } from './protocol.js';

/** A ModelError about one field of the page. */
export class FieldError extends Error {
  constructor(
    readonly field: Field,
    readonly error: ModelError,
  ) {
    super(error.message);
  }
}

/** Runs a reader of one field; its ModelError is tagged with the field. */
export function field<T>(name: Field, read: () => T): T {
  try {
    return read();
  } catch (e) {
    throw e instanceof ModelError ? new FieldError(name, e) : e;
  }
}

/** A line of the text starts with `layers:` (a YAML spec), found line by line in linear time. */
function yamlSpec(text: string): boolean {
  for (let start = 0; start < text.length; ) {
    const end = text.indexOf('\n', start);
    const line = text.slice(start, end < 0 ? undefined : Math.min(end, start + 200));
    if (/^[ \t]*layers[ \t]*:/.test(line)) return true;
    if (end < 0) break;
    start = end + 1;
  }
  return false;
}

/** JSON or a YAML spec rather than notation or a zoo name. */
export const isSpecText = (text: string): boolean => /^\s*[{[]/.test(text.slice(0, 1000)) || yamlSpec(text);

/** 'models/llama-2-7b/config.json' → 'llama-2-7b' (a bare config.json takes no name), as the command line names it. */
function configName(file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  const base = file.replace(/\.json$/i, '');
  return base === 'config' ? undefined : base;
}

/** Notation, a zoo name, a YAML/JSON spec or a Hugging Face config.json → what summarize takes. */
export async function readText(text: string, file?: string): Promise<string | Spec> {
  if (!isSpecText(text)) return text;
  if (text.includes('model_type')) {
    const { readYaml } = await import('../describe/yaml.js');
    const { value } = await readYaml(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && 'model_type' in value) {
      const { fromHfConfig } = await import('../zoo/hf/index.js');
      return fromHfConfig(value, configName(file));
    }
  }
  const { parseSpecText } = await import('../describe/from-object.js');
  return parseSpecText(text, file);
}

/** Text files the drop zone reads as specs; anything else is a model file (a sharded safetensors index is one, and so is a TF.js model.json). */
const TEXT_NAME = /\.(ya?ml|json|txt|nn)$/i;
const MODEL_NAME = /\.(safetensors|bin|pth?)\.index\.json$|^model\.json$/i;

/** True when the first bytes look like text: no NUL byte, valid UTF-8. */
async function looksLikeText(file: Blob): Promise<boolean> {
  const head = new Uint8Array(await file.slice(0, 4096).arrayBuffer());
  if (head.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.length === 4096 ? head.subarray(0, 4092) : head);
    return true;
  } catch {
    return false;
  }
}

/** A spec, notation or config file rather than a model file. */
const isTextFile = async (f: File): Promise<boolean> => !MODEL_NAME.test(f.name) && (TEXT_NAME.test(f.name) || (await looksLikeText(f)));

/** 'tiny-llama' for files dropped from a folder of that name; else the first file's name. */
function folderName(files: readonly File[]): string {
  const rel = (files[0] as File & { webkitRelativePath?: string }).webkitRelativePath;
  return rel && rel.includes('/') ? rel.slice(0, rel.indexOf('/')) : files[0]!.name.replace(/\.[^.]*$/, '');
}

/**
 * A model file (safetensors, GGUF, ONNX) or several files as a model folder, read as Blobs: only the bytes the
 * readers ask for are loaded (a 5 GB file's header, not its weights). The readers load on first use.
 */
async function readModelFiles(files: readonly File[], settings: SummarizeOptions): Promise<Report> {
  const [{ summarizeFile }, { blobFolder, blobSource }] = await Promise.all([import('../summarize-file.js'), import('../io/blob.js')]);
  return summarizeFile(files.length === 1 ? blobSource(files[0]!) : blobFolder(folderName(files), files), settings);
}

/** A dropped file's text, within the cap every text input has. */
async function fileText(file: File): Promise<string> {
  if (file.size > MAX_TEXT_BYTES) {
    throw new ModelError('input', `'${file.name}' is ${(file.size / 1024 / 1024).toFixed(1)} MiB; nncalc reads text inputs (notation, specs, configs) up to ${MAX_TEXT_BYTES / 1024 / 1024} MiB.`);
  }
  return file.text();
}

/** The settings as summarize takes them; a bad one is an error about its field. */
export function summarizeOptions(o: Options): SummarizeOptions {
  const input = o.input.trim() ? field('input', () => parseShape(o.input, 'the input shape')) : undefined;
  const batch = o.batch.trim() ? field('batch', () => parseSize(o.batch, 'the batch size')) : undefined;
  const seq = o.seq.trim() ? field('seq', () => parseSize(o.seq, 'the sequence length')) : undefined;
  return {
    ...(input ? { input } : {}),
    ...(batch ? { batch } : {}),
    ...(seq ? { seq } : {}),
    ...(o.convention ? { convention: o.convention } : {}),
    notation: { relu: o.relu, flatten: o.flatten, padding: o.padding ? 'same' : 'valid' },
  };
}

/** What a source gave besides its report: the text errors point into, and the file's name. */
export interface Loaded {
  readonly text?: string;
  readonly file?: string;
}

/** Reads and analyses a source with the page's settings; overrides replace some of them (a diff's second side). */
export async function analyseSource(source: Source, options: Options, overrides: SummarizeOptions = {}): Promise<{ report: Report; loaded: Loaded }> {
  const settings = { ...summarizeOptions(options), ...overrides };
  if (source.kind === 'text') return { report: summarize(await readText(source.text), settings), loaded: { text: source.text } };
  const files = source.files;
  const first = files[0];
  if (!first) throw new ModelError('input', 'no file was dropped.');
  const name = files.length === 1 ? first.name : `${folderName(files)} (${files.length} files)`;
  if (files.length > 1 || !(await isTextFile(first))) return { report: await readModelFiles(files, settings), loaded: { file: name } };
  const text = await fileText(first);
  try {
    return { report: summarize(await readText(text, first.name), settings), loaded: { text, file: name } };
  } catch (e) {
    // A notation error points into the text without carrying it; a file's text exists only here, so attach it.
    if (e instanceof ModelError && e.loc?.kind === 'text' && e.loc.source === undefined) {
      throw new ModelError(e.code, e.message, { loc: { ...e.loc, source: text }, layer: e.layer, details: e.details });
    }
    throw e;
  }
}

/**
 * An error as the page shows it. `editor` is the editor's text when the editor was the source: locations in it are
 * underlined there and its did-you-mean becomes a fix. A located error in a dropped file keeps its line and column.
 */
export function errorView(e: unknown, editor: string | undefined, fallback: Field = 'model'): ErrorView {
  const [field, error] = e instanceof FieldError ? [e.field, e.error] : [fallback, e];
  if (!(error instanceof ModelError)) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { code: 'bug', message: `nncalc failed unexpectedly (${message}). The page keeps working; please report the input that caused it.`, details: [], field, inEditor: false, text: message };
  }
  const loc = error.loc;
  const onModel = field === 'model';
  const source = loc?.kind === 'text' ? (loc.source ?? (onModel ? editor : undefined)) : undefined;
  const at = loc?.kind === 'text' && source !== undefined ? { ...lineColumn(source, loc.offset), offset: loc.offset, length: loc.length } : undefined;
  const inEditor = onModel && editor !== undefined && (source === undefined || source === editor);
  const fix = inEditor ? fixFor(error.message, editor, at && source === editor ? at : undefined) : undefined;
  return {
    code: error.code,
    message: error.message,
    details: error.details,
    field,
    inEditor: inEditor && at !== undefined,
    ...(at ? { at } : {}),
    ...(loc?.kind === 'path' ? { path: formatPath(loc.path) } : {}),
    ...(error.layer !== undefined ? { layer: error.layer } : {}),
    text: formatError(error, source),
    ...(fix ? { fix } : {}),
  };
}
