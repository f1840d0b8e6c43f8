import { describe, expect, it } from 'vitest';
import { summarizePath } from './node.js';

describe('nncalc/node', () => {
  it('summarizes a local folder and a local file, opening siblings and closing them', async () => {
    const folder = await summarizePath('test/fixtures/models/tiny-llama-sharded');
    expect(folder.file).toMatchObject({ format: 'safetensors', tensors: 21, architecture: 'LlamaForCausalLM' });
    const index = await summarizePath('test/fixtures/models/tiny-llama-sharded/model.safetensors.index.json');
    expect(index.totals.params).toBe(folder.file!.params);
    // The config.json beside the index names the architecture, as it does for the folder.
    expect(index.file?.architecture).toBe('LlamaForCausalLM');
    expect(index.totals.macs).toBe(folder.totals.macs);
  });
});
