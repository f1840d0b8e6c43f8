import { readFileSync } from 'node:fs';
import { gguf as hfGguf, GGMLQuantizationType } from '@huggingface/gguf';
import { describe, expect, it } from 'vitest';
import { errorOfAsync } from '../../test/helpers.js';
import { ggufFile, ggufHeader, llamaGgufKv, llamaGgufTensors, type GgufKv, type GgufTensor } from '../../scripts/fixtures/writers.mjs';
import { memorySource } from '../io/bytes.js';
import { bitsPerWeight, GGML_TYPES } from './ggml-types.js';
import { readGgufHeader } from './gguf.js';
import { readModel } from './index.js';

const FIXTURES = 'test/fixtures/models';
const src = (bytes: Uint8Array, name = 'model.gguf') => memorySource(bytes, name);
const message = async (bytes: Uint8Array) => (await errorOfAsync(() => readGgufHeader(src(bytes)))).message;

/** Little-endian bytes from u32 and u64 fields and raw strings, for headers no writer would produce. */
function bytes(...fields: (['u32', number] | ['u64', bigint] | ['str', string] | ['raw', number[]])[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const [type, v] of fields) {
    if (type === 'raw') parts.push(new Uint8Array(v));
    else if (type === 'str') {
      const s = new TextEncoder().encode(v);
      const b = new Uint8Array(8 + s.length);
      new DataView(b.buffer).setBigUint64(0, BigInt(s.length), true);
      b.set(s, 8);
      parts.push(b);
    } else {
      const b = new Uint8Array(type === 'u32' ? 4 : 8);
      if (type === 'u32') new DataView(b.buffer).setUint32(0, v, true);
      else new DataView(b.buffer).setBigUint64(0, v, true);
      parts.push(b);
    }
  }
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) out.set(p, at), (at += p.length);
  return out;
}
const head = (tensors: number, kvs: number) => bytes(['raw', [0x47, 0x47, 0x55, 0x46]], ['u32', 3], ['u64', BigInt(tensors)], ['u64', BigInt(kvs)]);
const cat = (...parts: Uint8Array[]) => new Uint8Array(parts.flatMap((p) => [...p]));

describe('GGUF', () => {
  it('agrees with @huggingface/gguf on every fixture: metadata, tensor infos, data offset, parameters', async () => {
    for (const name of ['tiny-llama.gguf', 'tiny-mamba.gguf', 'tiny-llama-be.gguf']) {
      const path = `${FIXTURES}/${name}`;
      const theirs = await hfGguf(path, { allowLocalFile: true, computeParametersCount: true });
      const ours = await readGgufHeader(src(readFileSync(path), path));
      expect(ours.littleEndian).toBe(theirs.littleEndian);
      expect(BigInt(ours.dataOffset)).toBe(theirs.tensorDataOffset);
      expect(ours.tensors.map((t) => [t.name, t.shape, t.dtype])).toEqual(theirs.tensorInfos.map((t) => [t.name, t.shape.map(Number).reverse(), GGMLQuantizationType[t.dtype]]));
      expect(ours.tensors.reduce((s, t) => s + t.shape.reduce((p, d) => p * d, 1), 0)).toBe(theirs.parameterCount);
      for (const [key, value] of Object.entries(theirs.metadata)) {
        if (key === 'version' || key === 'tensor_count' || key === 'kv_count') continue; // header fields, not metadata
        const mine = ours.metadata.get(key);
        if (Array.isArray(value)) expect(mine).toMatchObject({ count: value.length });
        else if (typeof value === 'bigint') expect(BigInt(mine as number)).toBe(value);
        else expect(mine).toBe(value);
      }
    }
  });
  it('has every ggml type with the block size and bytes @huggingface/gguf derives from ggml-common.h', () => {
    // @huggingface/gguf keeps its table (GGML_QUANT_SIZES) in its CLI bundle: read it from there as data.
    const text = readFileSync('node_modules/@huggingface/gguf/dist/cli.js', 'utf8');
    const body = /var GGML_QUANT_SIZES = \{([\s\S]*?)\};/.exec(text)![1]!;
    const QK_K = 256;
    const theirs = new Map<string, number>();
    for (const m of body.matchAll(/GGMLQuantizationType\.(\w+)\]: calcBPW\((\d+), ([^)]*)\)/g)) {
      const bytesPerBlock = Function('QK_K', `return ${m[3]}`)(QK_K) as number;
      theirs.set(m[1]!, (8 * bytesPerBlock) / Number(m[2]));
    }
    expect(theirs.size).toBe(GGML_TYPES.length);
    for (const t of GGML_TYPES) {
      expect(GGMLQuantizationType[t.id as GGMLQuantizationType]).toBe(t.name);
      // One disagreement, decided by ggml-common.h: block_q8_1 holds d and s as two ggml_half (2 + 2 + 32 = 36 bytes,
      // static_assert(sizeof(block_q8_1) == 2*sizeof(ggml_half) + QK8_1)); the package still has the old float pair (40).
      if (t.name === 'Q8_1') expect([bitsPerWeight(t), theirs.get(t.name)]).toEqual([9, 10]);
      else expect(bitsPerWeight(t)).toBe(theirs.get(t.name));
    }
    // Q4_K by hand: d and dmin (2 + 2 bytes), 12 bytes of 6-bit scales, 256 4-bit weights (128 bytes) = 144 bytes per 256 = 4.5 bits.
    expect(bitsPerWeight(GGML_TYPES.find((t) => t.name === 'Q4_K')!)).toBe(4.5);
  });
  it('reads only the header: tensor data is never requested', async () => {
    const file = readFileSync(`${FIXTURES}/tiny-llama.gguf`);
    const s = src(file);
    const h = await readGgufHeader(s);
    expect(h.dataOffset).toBe(6976);
    expect(s.stats.requests).toBe(1); // one 64 KiB window holds this header
  });
  it('maps a llama file to a Hugging Face config from its metadata and tensors', async () => {
    const model = await readModel(src(readFileSync(`${FIXTURES}/tiny-llama.gguf`), 'tiny-llama.gguf'));
    expect(model.config).toEqual({
      model_type: 'llama',
      architectures: ['LlamaForCausalLM'],
      hidden_size: 256,
      num_hidden_layers: 2,
      intermediate_size: 256,
      num_attention_heads: 4,
      num_key_value_heads: 2,
      vocab_size: 256,
      max_position_embeddings: 2048,
      tie_word_embeddings: false,
      attention_bias: false,
      mlp_bias: false,
      _name_or_path: 'tiny-llama',
    });
    expect(model.metadata['tokenizer.ggml.tokens']).toBeUndefined();
    expect(model.metadata['general.architecture']).toBe('llama');
    const mamba = await readModel(src(readFileSync(`${FIXTURES}/tiny-mamba.gguf`), 'tiny-mamba.gguf'));
    expect(mamba.config).toBeUndefined();
    expect(mamba.notes.join(' ')).toMatch(/general.architecture 'mamba' has no builder in nncalc/);
  });
  it('maps a llama with experts to Mixtral', async () => {
    const c = { hidden: 32, layers: 1, heads: 2, kv: 2, inter: 64, vocab: 8 };
    const kv: GgufKv[] = [...llamaGgufKv(c), ['llama.expert_count', 'u32', 4], ['llama.expert_used_count', 'u32', 2]];
    const model = await readModel(src(ggufFile(kv, llamaGgufTensors(c, 'F32', 'F32'))));
    expect(model.config).toMatchObject({ model_type: 'mixtral', architectures: ['MixtralForCausalLM'], num_local_experts: 4, num_experts_per_tok: 2 });
  });
  it('reads split files through their siblings', async () => {
    const c = { hidden: 32, layers: 2, heads: 2, kv: 2, inter: 64, vocab: 8 };
    const tensors = llamaGgufTensors(c, 'F32', 'F32');
    const kv: GgufKv[] = [...llamaGgufKv(c), ['split.count', 'u16', 2], ['split.no', 'u16', 0]];
    const one = ggufFile(kv, tensors.slice(0, 10));
    const two = ggufFile([['split.count', 'u16', 2], ['split.no', 'u16', 1]], tensors.slice(10));
    const files: Record<string, Uint8Array> = { 'm-00002-of-00002.gguf': two };
    const model = await readModel(src(one, 'dir/m-00001-of-00002.gguf'), { sibling: async (n) => (files[n] ? src(files[n]!, n) : undefined) });
    expect(model.tensors).toHaveLength(tensors.length);
    const alone = await readModel(src(one, 'm-00001-of-00002.gguf'));
    expect(alone.tensors).toHaveLength(10);
    expect(alone.notes[0]).toMatch(/one of 2 parts/);
  });
});

describe('GGUF: bad input is a ModelError naming the format, the offset or tensor, and what is wrong', () => {
  const c = { hidden: 32, layers: 1, heads: 2, kv: 2, inter: 64, vocab: 8 };
  const good = ggufFile(llamaGgufKv(c), llamaGgufTensors(c, 'Q8_0', 'F32'));
  it('a wrong magic or version', async () => {
    expect(await message(new TextEncoder().encode('GGML\x03\0\0\0'))).toBe("gguf: expected the magic 'GGUF' (47 47 55 46); found 47 47 4d 4c (at byte offset 0 of model.gguf)");
    expect(await message(cat(bytes(['raw', [0x47, 0x47, 0x55, 0x46]], ['u32', 4]), new Uint8Array(16)))).toMatch(/version 4 is not one nncalc reads \(1, 2 or 3\) \(at byte offset 4/);
  });
  it('truncated files, at every part of the header and in the data', async () => {
    const { header } = ggufHeader(llamaGgufKv(c), llamaGgufTensors(c, 'Q8_0', 'F32'));
    for (const cut of [6, 20, 200, header.length - 40, good.length - 1]) {
      const e = await errorOfAsync(() => readGgufHeader(src(good.subarray(0, cut))));
      expect(e.message).toMatch(/^gguf: .*(truncated|left in the file|runs past the end).*\(at byte offset \d+ of model\.gguf\)$/);
    }
    expect(await message(good.subarray(0, good.length - 1))).toMatch(/tensor '[^']+' \(F32 \[\d+(, \d+)*\], \d+ bytes at data offset \d+\) runs past the end of the file/);
  });
  it('array counts of 2^60, and counts larger than the file', async () => {
    const array = (count: bigint, item = 0) => cat(head(0, 1), bytes(['str', 'big'], ['u32', 9], ['u32', item], ['u64', count]));
    expect(await message(array(2n ** 60n))).toMatch(/the element count of the array 'big' 1152921504606846976 is too large \(at byte offset 43/);
    expect(await message(array(2n ** 40n, 8))).toMatch(/the element count of the array 'big' is 1099511627776, but only 0 bytes are left in the file/);
    expect(await message(cat(head(0, 1), bytes(['str', 'k'], ['u32', 8], ['u64', 2n ** 50n])))).toMatch(/the length of the string 'k' is 1125899906842624, but only 0 bytes are left/);
    expect(await message(head(2n ** 40n > 0 ? 5_000_000 : 0, 0))).toMatch(/the tensor count is 5000000, more than the limit of 1000000/);
    expect(await message(head(0, 200_000))).toMatch(/the metadata count is 200000, more than the limit of 100000/);
  });
  it('bad metadata: unknown types, deep nesting, bools, duplicate keys, alignment', async () => {
    expect(await message(cat(head(0, 1), bytes(['str', 'k'], ['u32', 13])))).toMatch(/metadata 'k' has value type 13; types 0–12 exist \(at byte offset 33/);
    // An array of arrays of arrays…: value type 9, then (element type 9, count 1) again and again.
    const nested = cat(head(0, 1), bytes(['str', 'n'], ['u32', 9]), ...Array.from({ length: 6 }, () => bytes(['u32', 9], ['u64', 1n])));
    expect(await message(nested)).toMatch(/metadata 'n\[0\]\[0\]\[0\]\[0\]' nests arrays more than 4 deep/);
    expect(await message(cat(head(0, 1), bytes(['str', 'b'], ['u32', 7], ['raw', [2]])))).toMatch(/metadata 'b' is a bool with byte 2; 0 or 1 expected/);
    expect(await message(cat(head(0, 2), bytes(['str', 'k'], ['u32', 4], ['u32', 1], ['str', 'k'], ['u32', 4], ['u32', 1])))).toMatch(/metadata key 'k' appears twice \(at byte offset 41/);
    expect(await message(ggufFile([['general.alignment', 'u32', 24]], []))).toMatch(/general.alignment is 24; a power of two was expected/);
  });
  it('bad tensor infos: dimensions, types, rows, offsets, overlaps, duplicates', async () => {
    const one = (t: GgufTensor, size = 4096) => {
      const { header } = ggufHeader([], [t]);
      return cat(header, new Uint8Array(size));
    };
    expect(await message(one({ name: 'w', type: 'F32', dims: [1, 1, 1, 1, 1] }))).toMatch(/tensor 'w' has 5 dimensions; 1 to 4 expected/);
    const removed = one({ name: 'w', type: 'F32', dims: [32] });
    new DataView(removed.buffer).setUint32(24 + 8 + 1 + 4 + 8, 4, true);
    expect(await message(removed)).toMatch(/tensor 'w' has ggml type 4 \(Q4_2\), which was removed from the format \(at byte offset 45/);
    expect(await message(one({ name: 'w', type: 'Q8_0', dims: [33, 2] }))).toMatch(/tensor 'w' has 33 elements per row, not a multiple of Q8_0's block of 32/);
    expect(await message(one({ name: 'w', type: 'F32', dims: [2048, 2048] }))).toMatch(/tensor 'w' \(F32 \[2048, 2048\], 16777216 bytes at data offset 0\) runs past the end of the file \(the data holds 4096 bytes/);
    const { header } = ggufHeader([], [{ name: 'a', type: 'F32', dims: [16] }, { name: 'b', type: 'F32', dims: [16] }]);
    const overlap = cat(header, new Uint8Array(128));
    const dv = new DataView(overlap.buffer);
    dv.setBigUint64(header.indexOf(0x62) + 1 + 4 + 8 + 4, 32n, true); // b's offset: 64 → 32, inside a
    expect(await message(overlap)).toMatch(/tensor 'b' \(data offset 32\) overlaps 'a', which ends at 64/);
    dv.setBigUint64(header.indexOf(0x62) + 1 + 4 + 8 + 4, 40n, true);
    expect(await message(overlap)).toMatch(/tensor 'b' has data offset 40, not a multiple of the alignment 32/);
    const { header: twice } = ggufHeader([], [{ name: 'a', type: 'F32', dims: [8] }, { name: 'a', type: 'F32', dims: [8] }]);
    expect(await message(cat(twice, new Uint8Array(64)))).toMatch(/tensor 'a' is declared twice/);
  });
});
