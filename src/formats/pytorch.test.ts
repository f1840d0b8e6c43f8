import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ModelError } from '../errors.js';
import { plus, sum } from '../int.js';
import { memorySource } from '../io/bytes.js';
import { summarizeModelFile } from '../summarize-file.js';
import { readModel } from './index.js';
import { numelOf } from './weights.js';

/** What torch says of each file (scripts/fixtures/torch_fixtures.py, PyTorch 1.13 and torchvision 0.14). */
interface Oracle {
  tensors: number;
  elements: number;
  parameters: number;
  buffers: number;
  dtypes: string[];
  modules?: string[];
  shapes?: number[][];
}
const DIR = new URL('../../test/fixtures/torch/', import.meta.url);
const oracle = JSON.parse(readFileSync(new URL('oracle.json', DIR), 'utf8')) as Record<string, Oracle>;
const bytes = (name: string) => new Uint8Array(readFileSync(new URL(name, DIR)));
const read = (name: string, data = bytes(name)) => readModel(memorySource(data, name));

async function rejects(p: Promise<unknown>, pattern: RegExp): Promise<void> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(ModelError);
  expect((e as Error).message).toMatch(pattern);
}

describe('PyTorch files written by torch.save and torch.jit.save', () => {
  for (const [name, o] of Object.entries(oracle)) {
    it(`${name}: the tensors, parameters and buffers torch counts`, async () => {
      const file = await read(name);
      expect(file.format).toBe(name.endsWith('.pt') ? 'torchscript' : 'pytorch');
      expect(file.tensors).toHaveLength(o.tensors);
      expect(sum(file.tensors.map(numelOf))).toBe(o.elements);
      expect([...new Set(file.tensors.map((t) => t.dtype))].sort()).toEqual(o.dtypes);
      const report = summarizeModelFile(file);
      expect({ params: report.totals.params, buffers: report.totals.buffers }).toEqual({ params: o.parameters, buffers: o.buffers });
      expect(plus(report.totals.params, report.totals.buffers)).toBe(o.elements);
      // Nothing is guessed: a file without a known forward pass has unknown MACs, never 0.
      if (!file.spec) expect(report.totals.unknownTotals).toContain('macs');
    });
  }

  it('reads the legacy format and the zip format of one state_dict alike, touching only metadata', async () => {
    const zip = await read('tv_resnet18.pth');
    const legacy = await read('tv_resnet18_legacy.pth');
    expect(legacy.tensors).toEqual(zip.tensors);
    expect(legacy.metadata).toMatchObject({ layout: 'legacy', storages: 122 });
    expect(zip.metadata).toMatchObject({ layout: 'zip', storages: 122, version: '3', content: 'state_dict' });
    expect(zip.tensors[0]).toEqual({ name: 'conv1.weight', shape: [64, 3, 7, 7], dtype: 'float32', bytes: 64 * 3 * 7 * 7 * 4, buffer: false });
  });

  it('finds the model in a checkpoint and says what else it holds', async () => {
    const file = await read('tv_resnet18_checkpoint.pth');
    expect(file.metadata['content']).toBe('checkpoint');
    expect(file.notes[0]).toBe("The file is a checkpoint (epoch, optimizer, best_acc1 beside 'model'); the tensors of 'model' are counted.");
    expect(file.tensors.map((t) => t.name)).toEqual((await read('tv_resnet18.pth')).tensors.map((t) => t.name));
  });

  it('a pickled nn.Module: its modules in order, with their classes and constructor attributes; MACs unknown', async () => {
    for (const name of ['resnet18_module.pth', 'resnet18_module_legacy.pth']) {
      const file = await read(name);
      expect(file.metadata).toMatchObject({ content: 'pickled nn.Module', class: 'torchvision.models.resnet.ResNet', modules: oracle[name]!.modules!.length + 1 });
      const report = summarizeModelFile(file);
      expect(report.layers.map((l) => l.type.replace(/\(.*$/, ''))).toEqual(oracle[name]!.modules!.filter((m) => !['Sequential', 'BasicBlock'].includes(m)));
      const conv1 = report.layers.find((l) => l.name === 'conv1')!;
      expect([conv1.type, conv1.params, conv1.macs]).toEqual(['Conv2d(3→64, 7, s2, p3)', 9408, null]);
      expect(report.layers.find((l) => l.name === 'layer2.0.downsample.0')!.type).toBe('Conv2d(64→128, 1, s2)');
      expect(report.layers.find((l) => l.name === 'fc')!.type).toBe('Linear(512→1000)');
      expect(report.model.notes.join(' ')).toContain('how they connect is ResNet.forward, code the file does not hold');
    }
    // An input cannot size a forward pass the file does not hold.
    await rejects(readModel(memorySource(bytes('resnet18_module.pth'), 'resnet18_module.pth'), { input: [1, 3, 224, 224] }), /^resnet18_module\.pth holds the modules of ResNet but not how they connect, so --input does not apply/);
  });

  it('a pickled nn.Sequential with an input: shapes equal the forward pass torch ran, and the tensors match the layers', async () => {
    const file = await readModel(memorySource(bytes('tiny_sequential_module.pth'), 'tiny_sequential_module.pth'), { input: [1, 1, 28, 28] });
    expect(file.spec).toBeDefined();
    const report = summarizeModelFile(file, { input: [1, 1, 28, 28] });
    expect(report.layers.map((l) => l.outputShape)).toEqual(oracle['tiny_sequential_module.pth']!.shapes);
    // conv 1→6, 5×5 on 28×28: 6·24·24·(1·5·5) = 86,400 MACs; conv 6→16 on 12×12: 16·8·8·(6·5·5) = 153,600; 256·120; 120·10.
    expect(report.totals.macs).toBe(86_400 + 153_600 + 30_720 + 1_200);
    expect(report.file!.check).toEqual({ matched: 8, differences: [] });
    // Without an input the first conv does not fix the size: rows from the tensors, and a note saying what to give.
    const bare = await read('tiny_sequential_module.pth');
    expect(bare.spec).toBeUndefined();
    expect(bare.notes.join(' ')).toContain('give --input');
  });

  it('a TorchScript archive: the module hierarchy, parameters and buffers from code/, constants of scripted modules', async () => {
    const scripted = summarizeModelFile(await read('tiny_cnn_scripted.pt'));
    expect(scripted.layers.map((l) => l.name)).toEqual(oracle['tiny_cnn_scripted.pt']!.modules!.filter((m) => m !== 'features'));
    expect(scripted.layers.map((l) => l.type)).toEqual([
      'Conv2d(3→8, 3, p1)', 'BatchNorm2d(8)', 'ReLU', 'MaxPool2d(2, s2)', 'Conv2d(8→16, 3, s2, p1)', 'BatchNorm2d(16)', 'ReLU', 'AdaptiveAvgPool2d(→1)', 'Linear(16→10)',
    ]);
    const traced = await read('shufflenet_traced.pt');
    expect(traced.metadata).toMatchObject({ content: 'TorchScript module', class: 'torchvision.models.shufflenetv2.ShuffleNetV2' });
    expect(traced.notes.join(' ')).toContain('constants.pkl holds 1 constant(s)');
  });

  it('refuses hostile files, naming the format, the offset or tensor, and what was wrong', async () => {
    const hostile = (name: string) => read(`hostile/${name}`);
    await rejects(hostile('system.pth'), /^pytorch: pickle: REDUCE calls posix\.system, which nncalc does not allow: loading this pickle in Python would run it\..*\(at byte offset \d+ of hostile\/system\.pth\/archive\/data\.pkl\)$/);
    await rejects(hostile('past_storage.pth'), /^pytorch: a tensor of size \(1000\) at offset 0 with stride \(1\) reaches element 999 of storage '0', which holds 10$/);
    await rejects(hostile('storage_size.pth'), /^pytorch: storage '0' declares 10 float32 elements \(40 bytes\), but the file holds 8 bytes for it$/);
    await rejects(hostile('missing_storage.pth'), /^pytorch: storage '0' is not in the file$/);
    // 2^60 paths to one tensor: each list is walked once.
    const bomb = await hostile('dag_bomb.pth');
    expect(bomb.tensors.map((t) => t.name)).toEqual([`fc${'.0'.repeat(61)}`, `fc${'.0'.repeat(60)}.1`]);
  });

  it('refuses truncated files with the offset', async () => {
    const zip = bytes('tiny_cnn_state_dict.pth');
    await rejects(read('cut.pth', zip.subarray(0, 5000)), /pytorch: no end-of-central-directory record .* not a zip, or truncated/);
    const legacy = bytes('tiny_cnn_state_dict_legacy.pth');
    // Cut in the storages: the pickles read, the storages they declare do not fit.
    await rejects(read('cut.pth', legacy.subarray(0, legacy.length - 100)), /pytorch: the 14 storages of cut\.pth need \d+ bytes after byte offset \d+, but the file has \d+ \(truncated\?\)/);
    // Cut in the main pickle.
    await rejects(read('cut.pth', legacy.subarray(0, 1000)), /pytorch: .*truncated\?\) \(at byte offset \d+ of cut\.pth\)/);
    await rejects(read('x.pth', new Uint8Array([0x80, 0x02, 0x4b, 0x05, 0x2e])), /does not start with torch's magic number/);
  });
});
