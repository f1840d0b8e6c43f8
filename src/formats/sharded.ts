/**
 * @module
 * A sharded model's index, as transformers writes one beside its shards: `model.safetensors.index.json` or
 * `pytorch_model.bin.index.json`, whose `weight_map` names the shard file of every tensor. Each shard is opened
 * beside the index (`options.sibling`) and read by its own format, headers only; every tensor the index places in a
 * shard must be in it.
 */
import { ModelError } from '../errors.js';
import { cmp, sum } from '../int.js';
import type { ByteSource } from '../io/bytes.js';
import { checkRelativePath } from '../io/folder.js';
import type { FormatId, ModelFile, ReadOptions, TensorInfo } from './format.js';
import { readJsonObject } from './json-file.js';

/** How one kind of shard is read. */
export interface ShardKind {
  /** The format's id, and the prefix of its messages: 'safetensors', 'pytorch'. */
  readonly format: FormatId;
  /** The tensors one shard holds. */
  readonly tensors: (shard: ByteSource) => Promise<readonly TensorInfo[]>;
  /** What of a shard lists its tensors, for messages: 'whose header', 'whose state_dict'. */
  readonly holder: string;
}

const show = (v: unknown): string => (JSON.stringify(v) ?? String(v)).slice(0, 80);

/** Reads an index and the tensors of every shard it names. */
export async function readShardIndex(source: ByteSource, options: ReadOptions, kind: ShardKind): Promise<ModelFile> {
  // `rest` follows the index's name: ': …' for what is wrong inside it, ' …' for what it says of its shards.
  const E = (rest: string) => new ModelError('file', `${kind.format}: index ${source.name}${rest}`);
  const index = await readJsonObject(source, `${kind.format} index`);
  const map = index['weight_map'];
  if (typeof map !== 'object' || map === null || Array.isArray(map)) throw E(`: 'weight_map' must map tensor names to shard files; found ${show(map)}.`);
  const shards = new Map<string, Set<string>>();
  for (const [tensor, file] of Object.entries(map)) {
    if (typeof file !== 'string') throw E(`: weight_map['${tensor.slice(0, 200)}'] must be a file name; found ${show(file)}.`);
    checkRelativePath(file, `${kind.format} index ${source.name}, weight_map['${tensor.slice(0, 200)}']`);
    (shards.get(file) ?? shards.set(file, new Set()).get(file)!).add(tensor);
  }
  if (shards.size === 0) throw E(' lists no tensors in its weight_map.');
  if (!options.sibling) throw E(` names ${shards.size} shard files, but nncalc was given the index alone; give the folder (or URL) that holds them.`);
  const tensors: TensorInfo[] = [];
  const notes: string[] = [];
  for (const [file, names] of shards) {
    const shard = await options.sibling(file);
    if (!shard) throw E(` puts ${names.size} tensors in '${file}', which is not beside it.`);
    const held = await kind.tensors(shard);
    const have = new Set(held.map((t) => t.name));
    const missing = [...names].filter((t) => !have.has(t));
    if (missing.length) throw E(` puts '${missing[0]!.slice(0, 200)}'${missing.length > 1 ? ` and ${missing.length - 1} more` : ''} in '${file}', ${kind.holder} does not hold it.`);
    const extra = held.filter((t) => !names.has(t.name));
    if (extra.length) notes.push(`${file} holds ${extra.length} tensors the index does not list (${extra.slice(0, 3).map((t) => t.name).join(', ')}${extra.length > 3 ? ', …' : ''}); they are counted.`);
    tensors.push(...held);
  }
  const total = (index['metadata'] as Record<string, unknown> | undefined)?.['total_size'];
  const bytes = sum(tensors.map((t) => t.bytes ?? 0));
  if (typeof total === 'number' && cmp(total, bytes) !== 0) notes.push(`The index's metadata.total_size is ${total} bytes; the shards' tensors hold ${bytes}.`);
  return { format: kind.format, name: source.name, tensors, metadata: { shards: shards.size }, notes };
}
