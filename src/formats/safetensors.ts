/**
 * @module
 * safetensors (huggingface/safetensors, README "Format"): an 8-byte little-endian header length N, N bytes of JSON
 * `{"name": {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {…}}`, then the tensors' bytes. Only
 * the 8 bytes and the header are read. The checks are the format's own (safetensors/src/tensor.rs): N at most
 * 100,000,000 and inside the file, checked before anything is allocated; offsets contiguous from 0 with no hole or
 * overlap, ending exactly at the end of the file; each tensor's bytes equal to its elements × its dtype's bits / 8.
 *
 * A sharded model's `model.safetensors.index.json` (`weight_map`: tensor → shard file) is read with the header of
 * each shard, opened through `ReadOptions.sibling`.
 */
import { ModelError } from '../errors.js';
import { cmp, div, prod, times, type Int } from '../int.js';
import { Reader, type ByteSource } from '../io/bytes.js';
import type { Format, ModelFile, ReadOptions, TensorInfo } from './format.js';
import { parseJsonText } from './json-file.js';
import { readShardIndex } from './sharded.js';

/** The format's limit on the header length (MAX_HEADER_SIZE). */
export const SAFETENSORS_MAX_HEADER = 100_000_000;

/** Bits per element of each dtype (`Dtype::bitsize`). */
export const SAFETENSORS_DTYPES: Readonly<Record<string, number>> = {
  BOOL: 8,
  F4: 4,
  F6_E2M3: 6,
  F6_E3M2: 6,
  U8: 8,
  I8: 8,
  F8_E5M2: 8,
  F8_E4M3: 8,
  F8_E8M0: 8,
  F8_E4M3FNUZ: 8,
  F8_E5M2FNUZ: 8,
  I16: 16,
  U16: 16,
  F16: 16,
  BF16: 16,
  I32: 32,
  U32: 32,
  F32: 32,
  I64: 64,
  U64: 64,
  F64: 64,
  C64: 64,
};
/** Other spellings some writers use (accepted by huggingface.js), normalised to the names above. */
const ALIASES: Readonly<Record<string, string>> = { E8M0: 'F8_E8M0', UE8: 'F8_E8M0', FP4: 'F4' };

const E = (message: string) => new ModelError('file', `safetensors: ${message}`);
const show = (v: unknown): string => (JSON.stringify(v) ?? String(v)).slice(0, 80);

/** One shard's header, read and checked. */
export interface SafetensorsHeader {
  readonly tensors: TensorInfo[];
  readonly metadata: Record<string, string>;
  /** N, the JSON header's length in bytes. */
  readonly headerBytes: number;
}

interface Entry {
  readonly info: TensorInfo;
  readonly begin: number;
  readonly end: number;
}

/** A non-negative safe integer, or a ModelError naming the tensor and the field. */
function natural(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw E(`${what} must be a non-negative integer; found ${show(v)}.`);
  return v;
}

function entry(name: string, raw: unknown, where: string): Entry {
  const t = `tensor '${name.slice(0, 200)}' in ${where}`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw E(`${t} must be an object with dtype, shape and data_offsets; found ${show(raw)}.`);
  const o = raw as Record<string, unknown>;
  const dtype = typeof o['dtype'] === 'string' ? (ALIASES[o['dtype']] ?? o['dtype']) : undefined;
  if (dtype === undefined || !Object.hasOwn(SAFETENSORS_DTYPES, dtype)) {
    throw E(`${t} has dtype ${show(o['dtype'])}; expected one of ${Object.keys(SAFETENSORS_DTYPES).join(', ')}.`);
  }
  const shape = o['shape'];
  if (!Array.isArray(shape) || shape.length > 64) throw E(`${t}: shape must be a list of at most 64 dimensions; found ${show(shape)}.`);
  const dims = shape.map((d, i) => natural(d, `${t}: shape[${i}]`));
  const offsets = o['data_offsets'];
  if (!Array.isArray(offsets) || offsets.length !== 2) throw E(`${t}: data_offsets must be [begin, end]; found ${show(offsets)}.`);
  const begin = natural(offsets[0], `${t}: data_offsets[0]`);
  const end = natural(offsets[1], `${t}: data_offsets[1]`);
  if (end < begin) throw E(`${t}: data_offsets [${begin}, ${end}] end before they begin.`);
  const numel: Int = prod(dims);
  const bits = times(numel, SAFETENSORS_DTYPES[dtype]!);
  const bytes = div(bits, 8, 'floor');
  if (cmp(times(bytes, 8), bits) !== 0) throw E(`${t}: ${numel} elements of ${dtype} are ${bits} bits, not a whole number of bytes.`);
  if (cmp(bytes, end - begin) !== 0) {
    throw E(`${t}: shape [${dims.join(', ')}] of ${dtype} needs ${bytes} bytes, but data_offsets [${begin}, ${end}] hold ${end - begin}.`);
  }
  return { info: { name, shape: dims, dtype, bytes: end - begin }, begin, end };
}

/**
 * Reads and checks one safetensors file's header; never reads a weight byte.
 * @example const { tensors } = await readSafetensorsHeader(memorySource(bytes)); tensors[0].dtype // 'F32'
 */
export async function readSafetensorsHeader(source: ByteSource): Promise<SafetensorsHeader> {
  const where = source.name;
  if (source.size < 8) throw E(`${where} is ${source.size} bytes, shorter than the 8-byte header length (truncated?).`);
  const head = new Reader(source, 'safetensors', 8);
  await head.ensure(8);
  const n = head.u64('header length');
  if (n > SAFETENSORS_MAX_HEADER) throw E(`the header length at byte offset 0 of ${where} is ${n} bytes, more than the format's limit of ${SAFETENSORS_MAX_HEADER}.`);
  if (8 + n > source.size) throw E(`the header length at byte offset 0 of ${where} is ${n} bytes, but the file has only ${source.size - 8} bytes after it (truncated?).`);
  if (n < 2) throw E(`the header length at byte offset 0 of ${where} is ${n}; a header is a JSON object of at least 2 bytes.`);
  const r = new Reader(source, 'safetensors', n);
  r.seek(8);
  await r.ensure(n);
  const bytes = r.bytes(n);
  if (bytes[0] !== 0x7b) throw E(`the header of ${where} (byte offset 8) must start with '{'; found byte 0x${bytes[0]!.toString(16).padStart(2, '0')}.`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw E(`the header of ${where} (bytes 8 to ${8 + n}) is not valid UTF-8.`);
  }
  const json = parseJsonText(text, `safetensors: the header of ${where} (bytes 8 to ${8 + n})`);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw E(`the header of ${where} must be a JSON object.`);
  const metadata: Record<string, string> = {};
  const entries: Entry[] = [];
  for (const [name, raw] of Object.entries(json)) {
    if (name === '__metadata__') {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw E(`__metadata__ in ${where} must map strings to strings; found ${show(raw)}.`);
      for (const [k, v] of Object.entries(raw)) {
        if (typeof v !== 'string') throw E(`__metadata__ in ${where} must map strings to strings; '${k.slice(0, 80)}' is ${show(v)}.`);
        metadata[k] = v;
      }
      continue;
    }
    entries.push(entry(name, raw, where));
  }
  // The buffer starts at 8 + N; tensors tile it from 0 to its end, in offset order, with no hole or overlap.
  const buffer = source.size - 8 - n;
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  let previous = '';
  for (const e of sorted) {
    const name = `'${e.info.name.slice(0, 200)}'`;
    if (e.end > buffer) {
      throw E(`tensor ${name} in ${where}: data_offsets [${e.begin}, ${e.end}] run past the end of the file (the data holds ${buffer} bytes, from byte offset ${8 + n}; truncated?).`);
    }
    if (e.begin < at) throw E(`tensor ${name} in ${where}: data_offsets [${e.begin}, ${e.end}] overlap ${previous}, which ends at ${at}.`);
    if (e.begin > at) throw E(`tensor ${name} in ${where}: data_offsets begin at ${e.begin}, leaving a hole after ${previous || 'the start of the data'} (at ${at}).`);
    at = e.end;
    previous = name;
  }
  if (at !== buffer) throw E(`the tensors of ${where} end at data offset ${at}, but the file holds ${buffer} bytes of data after the header: ${buffer - at} bytes belong to no tensor.`);
  return { tensors: entries.map((e) => e.info), metadata, headerBytes: n };
}

/** Bytes 0–7 a header length below 4 GiB, byte 8 '{' (the check Netron makes too). */
function sniff(head: Uint8Array): boolean {
  return head.length >= 9 && head[4] === 0 && head[5] === 0 && head[6] === 0 && head[7] === 0 && head[8] === 0x7b;
}

async function read(source: ByteSource): Promise<ModelFile> {
  const h = await readSafetensorsHeader(source);
  return {
    format: 'safetensors',
    name: source.name,
    tensors: h.tensors,
    metadata: { ...h.metadata, 'header bytes': h.headerBytes },
    notes: [],
  };
}

export const safetensors: Format = { id: 'safetensors', title: 'safetensors', extensions: ['safetensors'], sniff, read };

/** A sharded model: the index's weight_map, then the header of each shard it names (formats/sharded.ts). */
export const readSafetensorsIndex = (source: ByteSource, options: ReadOptions): Promise<ModelFile> =>
  readShardIndex(source, options, { format: 'safetensors', holder: 'whose header', tensors: async (shard) => (await readSafetensorsHeader(shard)).tensors });
