/**
 * @module
 * A whole small JSON file from a ByteSource (config.json, a safetensors index, later TF.js model.json), read in one
 * request after its size is checked against a cap, and parsed with every failure turned into a ModelError that
 * names the file.
 */
import { ModelError } from '../errors.js';
import { Reader, type ByteSource } from '../io/bytes.js';
import { MAX_TEXT_BYTES } from '../limits.js';

/** Default cap (MAX_TEXT_BYTES, 64 MiB): an index of a model with 100k tensors is under 10 MB. */
export const JSON_LIMIT = MAX_TEXT_BYTES;

/** Parses JSON text; a syntax error (or a nesting too deep for the parser) is a ModelError naming `what`. */
export function parseJsonText(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const why = e instanceof RangeError ? 'it is nested too deeply' : (e as Error).message;
    throw new ModelError('file', `${what} is not valid JSON: ${why}.`);
  }
}

/** The file's text, refused when larger than `limit` bytes. */
export async function readText(source: ByteSource, format: string, limit = JSON_LIMIT): Promise<string> {
  if (source.size > limit) {
    throw new ModelError('file', `${format}: ${source.name} is ${source.size} bytes, more than the ${limit}-byte limit for a JSON file nncalc reads whole.`);
  }
  const r = new Reader(source, format, Math.max(source.size, 1));
  await r.ensure(source.size);
  return r.utf8(source.size);
}

/** The file parsed as JSON, which must be an object. */
export async function readJsonObject(source: ByteSource, format: string, limit = JSON_LIMIT): Promise<Record<string, unknown>> {
  const value = parseJsonText(await readText(source, format, limit), `${format}: ${source.name}`);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ModelError('file', `${format}: ${source.name} must hold a JSON object; found ${Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'null' : typeof value}.`);
  }
  return value as Record<string, unknown>;
}
