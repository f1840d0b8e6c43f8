import { openAsBlob } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorOfAsync } from '../../test/helpers.js';
import { blobFolder, blobSource } from './blob.js';
import { checkRelativePath, memoryFolder } from './folder.js';
import { nodeFileSource, nodeFolder, openLocalPath } from './node-file.js';

const FIXTURES = 'test/fixtures/models';

describe('Node files', () => {
  it('reads ranges of a file through a FileHandle and counts them', async () => {
    const src = await nodeFileSource(`${FIXTURES}/tiny-llama.gguf`);
    try {
      expect(new TextDecoder().decode(await src.read(0, 4))).toBe('GGUF');
      expect(src.stats).toEqual({ requests: 1, bytes: 4 });
    } finally {
      await src.close?.();
    }
  });
  it('names the path and the reason when a file cannot be opened', async () => {
    expect((await errorOfAsync(() => nodeFileSource(`${FIXTURES}/none.gguf`))).message).toBe(`cannot open '${FIXTURES}/none.gguf': no such file or directory.`);
    expect((await errorOfAsync(() => nodeFileSource(FIXTURES))).message).toMatch(/it is a directory/);
  });
  it('opens a folder lazily, lists its files and closes what it opened', async () => {
    const folder = nodeFolder(`${FIXTURES}/tiny-llama`);
    expect([...(await folder.list!())].sort()).toEqual(['config.json', 'model.safetensors']);
    expect(await folder.open('missing.json')).toBeUndefined();
    expect((await folder.open('config.json'))?.size).toBeGreaterThan(100);
    await folder.close?.();
    const { input, folder: parent } = await openLocalPath(`${FIXTURES}/tiny-llama/model.safetensors`);
    expect('read' in input && input.name).toBe(`${FIXTURES}/tiny-llama/model.safetensors`);
    expect(await parent.open('config.json')).toBeDefined();
    await parent.close?.();
  });
});

describe('Blobs', () => {
  it('reads a file-backed Blob by slices, loading only what is asked', async () => {
    const blob = await openAsBlob(`${FIXTURES}/tiny-llama.gguf`);
    const src = blobSource(blob, 'tiny-llama.gguf');
    expect(src.size).toBe(blob.size);
    expect([...(await src.read(4, 4))]).toEqual([3, 0, 0, 0]); // version 3, little-endian
    expect(src.stats).toEqual({ requests: 1, bytes: 4 });
  });
  it('treats dropped files as a folder by their relative paths', async () => {
    const file = new File([new Uint8Array([1, 2, 3])], 'config.json');
    Object.defineProperty(file, 'webkitRelativePath', { value: 'my-model/config.json' });
    const folder = blobFolder('my-model', [file]);
    expect(await folder.list!()).toEqual(['config.json']);
    expect([...(await (await folder.open('config.json'))!.read(0, 3))]).toEqual([1, 2, 3]);
  });
});

describe('folder paths', () => {
  it('refuses paths that climb out of the folder', () => {
    for (const bad of ['../secret', '/etc/passwd', 'a/../../b', 'C:\\x', 'a\\b', '', 'a//b']) expect(() => checkRelativePath(bad, 'index')).toThrow(/is not a file name inside the model's folder/);
    expect(checkRelativePath('model-00001-of-00002.safetensors', 'index')).toBe('model-00001-of-00002.safetensors');
  });
  it('serves files from memory', async () => {
    const folder = memoryFolder('m', { 'a.bin': new Uint8Array(3) });
    expect((await folder.open('a.bin'))?.size).toBe(3);
    expect(await folder.open('__proto__')).toBeUndefined();
  });
});
