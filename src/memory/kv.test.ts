import { describe, expect, test } from 'vitest';
import { summarize } from '../summarize.js';
import { cacheLayers, kvCache, type CacheLayer } from './kv.js';

describe('KV cache per token, published figures (docs/memory.md §5)', () => {
  test('Llama-2-7B at fp16: 2·32 layers·4096·2 bytes = 524,288 = 0.5 MiB a token; 2 GiB at 4,096 tokens', () => {
    const c = kvCache(cacheLayers(summarize('llama-2-7b')), 4096, 1, { block: 1, bytes: 2 });
    expect(c.perToken.value).toBe(524_288);
    expect(c.total.value).toBe(2_147_483_648);
  });
  test('Llama-2-70B with 8 KV heads: 2·80·1024·2 = 327,680 = 320 KiB', () => {
    expect(kvCache(cacheLayers(summarize('llama-2-70b')), 1, 1, { block: 1, bytes: 2 }).perToken.value).toBe(327_680);
  });
  test('Mistral-7B and Llama-3-8B: 131,072 bytes a token', () => {
    expect(kvCache(cacheLayers(summarize('mistral-7b')), 1, 1, { block: 1, bytes: 2 }).perToken.value).toBe(131_072);
    expect(kvCache(cacheLayers(summarize('llama-3-8b')), 1, 1, { block: 1, bytes: 2 }).perToken.value).toBe(131_072);
  });
  test('q8_0 and q4_0 caches of Llama-3-8B: 8.5 and 4.5 bits an element, 69,632 and 36,864 bytes a token', () => {
    const layers = cacheLayers(summarize('llama-3-8b'));
    expect(kvCache(layers, 32, 1, { block: 32, bytes: 34 }).total.value).toBe(69_632 * 32);
    expect(kvCache(layers, 32, 1, { block: 32, bytes: 18 }).total.value).toBe(36_864 * 32);
  });
});

describe('windows and latents', () => {
  // Gemma-2-2B: 26 layers of 4 KV heads × 256, every other layer local with a 4,096-token window (docs/memory.md §5).
  const gemma2: CacheLayer[] = Array.from({ length: 26 }, (_, i) => ({ name: `l${i}`, perToken: 2 * 4 * 256, formula: '2·h_kv·d_head', terms: '2·4·256', ...(i % 2 === 0 ? { window: 4096 } : {}) }));
  test('Gemma-2-2B at 8,192 tokens: 624 MiB with windows, against 832 MiB naive', () => {
    expect(kvCache(gemma2, 8192, 1, { block: 1, bytes: 2 }).total.value).toBe(624 * 2 ** 20);
    expect(kvCache(gemma2.map(({ window: _w, ...l }) => l), 8192, 1, { block: 1, bytes: 2 }).total.value).toBe(832 * 2 ** 20);
  });
  test('DeepSeek-V3 caches (512 + 64)·61 elements, 70,272 bytes a token at 2 bytes', () => {
    const mla: CacheLayer[] = Array.from({ length: 61 }, (_, i) => ({ name: `l${i}`, perToken: 512 + 64, formula: 'd_c + d_rope', terms: '512 + 64' }));
    const c = kvCache(mla, 1, 1, { block: 1, bytes: 2 });
    expect(c.perToken.value).toBe(70_272);
    expect(c.assumptions.join(' ')).toMatch(/compressed latent/);
  });
});
