import { describe, expect, test } from 'vitest';
import { zoo } from '../src/zoo/index.js';
import { run } from './cli-io.js';
import { SEED_STAGES } from './helpers.js';

describe('nncalc <model>', () => {
  test('vgg16 prints the table ending at 138,357,544', async () => {
    const r = await run(['vgg16']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Total params:\s+138,357,544/);
    expect(r.stdout).toMatch(/Trainable params:\s+138,357,544/);
    expect(r.stdout).toMatch(/Non-trainable params:\s+0/);
    // 138,357,544 · 4 bytes = 553,430,176 B = 527.79 MiB
    expect(r.stdout).toContain('527.79 MiB');
    // torchvision publishes 15.47 GFLOPS for VGG-16, which are conv + linear MACs.
    expect(r.stdout).toMatch(/Total MACs:\s+15,470,264,320/);
  });

  test('--explain shows the stage subtotals of the seed answer', async () => {
    const r = await run(['vgg16', '--explain']);
    for (const [stage, params] of SEED_STAGES) {
      expect(r.stdout).toMatch(new RegExp(`${stage}\\s.*\\s${params}\\n`));
    }
    expect(r.stdout).toContain('⌊(224 + 2·1 − 3)/1⌋ + 1 = 224');
    expect(r.stdout).toContain('224 → 112 → 56 → 28 → 14 → 7');
    expect(r.stdout).toContain('512·7·7 = 25,088');
    expect(r.stdout).toContain('weights k·k·c_in·c_out = 3·3·256·256 = 589,824; biases c_out = 256');
  });

  test('notation text, with the input in the header or from --input', async () => {
    // conv3-8 on 3 channels: 3·3·3·8 + 8 = 224; after 2×2 pooling 16×16×8 = 2,048 features; FC-10: 2,048·10 + 10 = 20,490.
    const a = await run(['32x32x3, conv3-8, maxpool, FC-10', '--format', 'json']);
    const b = await run(['conv3-8, maxpool, FC-10', '--input', '1,3,32,32', '--format', 'json']);
    expect(JSON.parse(a.stdout).totals.params).toBe(224 + 20_490);
    expect(JSON.parse(b.stdout).totals).toEqual(JSON.parse(a.stdout).totals);
  });

  test('--batch scales activations and MACs, not parameters', async () => {
    const one = JSON.parse((await run(['vgg16', '--format', 'json'])).stdout).totals;
    const eight = JSON.parse((await run(['vgg16', '--format', 'json', '--batch', '8'])).stdout).totals;
    expect(eight.params).toBe(one.params);
    expect(eight.macs).toBe(8 * one.macs);
  });

  test('the implicit rules can be switched off', async () => {
    const on = JSON.parse((await run(['28x28x1, conv3-4, FC-10', '--format', 'json'])).stdout);
    expect(on.layers.map((l: { op: string }) => l.op)).toEqual(['conv2d', 'relu', 'flatten', 'linear']);
    // Without padding the 3×3 conv gives 26×26: FC-10 has 4·26·26·10 + 10 = 27,050 params.
    const off = JSON.parse((await run(['28x28x1, conv3-4, FC-10', '--format', 'json', '--no-implicit-relu', '--no-implicit-padding'])).stdout);
    expect(off.layers.map((l: { op: string }) => l.op)).toEqual(['conv2d', 'flatten', 'linear']);
    expect(off.layers[2].params).toBe(27_050);
  });

  test('reads notation from stdin', async () => {
    const r = await run(['-', '--input', '32x32x1', '--format', 'csv'], { stdin: 'conv5-6, maxpool, conv5-16, maxpool, FC-120, FC-84, FC-10\n' });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\r\n')[0]).toBe('name,type,op,label,output_shape,params,trainable,non_trainable,buffers,macs,flops,params_formula,training_only');
  });

  test('--convention keras counts BatchNorm statistics as non-trainable', async () => {
    const r = await run(['vgg11_bn', '--convention', 'keras']);
    // vgg11_bn's eight BatchNorms have 64 + 128 + 256 + 256 + 512·4 = 2,752 channels: 2·2,752 = 5,504 running statistics.
    expect(r.stdout).toMatch(/Non-trainable params:\s+5,504/);
  });

  test('--help and --version', async () => {
    const h = await run(['--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('a ReLU follows every conv layer');
    expect(h.stdout).toContain('nncalc vgg16 --explain');
    expect((await run(['-v'])).stdout).toMatch(/^nncalc \d+\.\d+\.\d+\n$/);
  });
});

describe('Keras models', () => {
  test('keras:ResNet50 in Keras’s convention and layout by default; --convention pytorch overrides', async () => {
    // 25,636,712 = torchvision's 25,557,032 + 26,560 conv biases + 53,120 statistics (src/zoo/keras/resnet.test.ts).
    const r = await run(['keras:ResNet50']);
    expect(r.stdout).toMatch(/Total params:\s+25,636,712/);
    // 53 BatchNormalization layers: conv1_bn, three in each of the 16 blocks, four shortcut BNs.
    expect(r.stdout).toMatch(/Non-trainable params:\s+53,120\s+moving mean and moving variance of 53 BatchNormalization layers \(Keras convention\)/);
    expect(r.stdout).toMatch(/^predictions \(Linear\)\s+\(None, 1000\)\s+2,049,000/m);
    const torch = await run(['keras:resnet50', '--convention', 'pytorch']);
    expect(torch.stdout).toMatch(/Total params:\s+25,583,592/);
    expect(torch.stdout).toMatch(/Buffers:\s+53,120/);
    expect(torch.stdout).toContain('PyTorch convention · shapes channels last');
  });

  test('Markdown shows Keras’s shapes; JSON keeps batch-first shapes and names the layout', async () => {
    const md = await run(['keras:MobileNet', '--format', 'md']);
    // conv1: 3·3·3·32 = 864 weights, no bias; 224 → 112 with 'same' padding at stride 2.
    expect(md.stdout).toContain('| conv1 (Conv2d) | (None, 112, 112, 32) | 864 |');
    const json = JSON.parse((await run(['keras:MobileNet', '--format', 'json'])).stdout);
    expect(json.model).toMatchObject({ input: [1, 3, 224, 224], convention: 'keras', layout: 'keras' });
    expect(json.layers[0].outputShape).toEqual([1, 32, 112, 112]);
    expect(JSON.parse((await run(['vgg16', '--format', 'json'])).stdout).model.layout).toBeUndefined();
  });

  test('check reads Keras’s layer names', async () => {
    // predictions: 4,096·1,000 + 1,000 = 4,097,000.
    const r = await run(['check', 'keras:VGG16', 'block1_conv1: 1792\npredictions: 4097000']);
    expect(r.code).toBe(0);
  });
});

describe('nncalc list', () => {
  test('shows every zoo model with its total, grouped by family', async () => {
    const r = await run(['list']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^vgg16\s+138,357,544\s+15,470,264,320\s+224×224×3\s/m);
    expect(r.stdout).toMatch(/^vgg-e\s+143,667,240\s/m);
    const headings = r.stdout.split('\n').filter((l) => /^\S.*\(\d+ models?\)$/.test(l));
    expect(headings.map((h) => h.replace(/ \(.*/, ''))).toEqual(['torchvision 0.14', 'Keras Applications', 'Hugging Face transformers', 'Classic papers']);
    // Each heading counts its rows: the families partition the zoo.
    expect(headings.reduce((s, h) => s + Number(/\((\d+)/.exec(h)![1]), 0)).toBe(zoo.length);
    // vgg-e is a paper's model, vgg16 torchvision's: each under its own heading.
    const classic = r.stdout.slice(r.stdout.indexOf('Classic papers'));
    expect(classic).toMatch(/^vgg-e\s/m);
    expect(classic).not.toMatch(/^vgg16\s/m);
  }, 60_000); // from source there is no totals file: the whole zoo is analysed

  test('states the sequence length of transformer MACs', async () => {
    const r = await run(['list', '--family', 'hf']);
    expect(r.stdout).toMatch(/^gpt2\s+124,439,808\s+\S+\s+128 tokens\s/m);
    // CLIP's and SigLIP's text towers take 77 and 64 tokens.
    expect(r.stdout).toMatch(/Transformer MACs depend on the sequence length: given here at 128(, \d+)* tokens/);
    expect(r.stdout).not.toContain('torchvision 0.14');
  });

  test('Keras’s models in Keras’s convention, under their Keras names', async () => {
    const r = await run(['list', '--family', 'keras']);
    // ResNet50: 25,636,712 with its 53,120 BatchNorm statistics (derivation in src/zoo/keras/resnet.test.ts).
    expect(r.stdout).toMatch(/^keras:ResNet50\s+25,636,712\s+\S+\s+224×224×3\s/m);
    expect(r.stdout).toMatch(/^Keras Applications \(\d+ models\)$/m);
  });

  test('a filter matches names loosely and descriptions', async () => {
    const r = await run(['list', 'llama', '--format', 'json']);
    const names = (JSON.parse(r.stdout) as { name: string }[]).map((x) => x.name);
    expect(names).toEqual(zoo.filter((e) => e.name.includes('llama') || e.title.toLowerCase().includes('llama')).map((e) => e.name));
    expect(names).toContain('llama-2-7b');
    const tv = await run(['list', 'ResNet_50', '--family', 'torchvision', '--format', 'csv']);
    expect(tv.stdout.split('\r\n')[1]).toMatch(/^resnet50,torchvision,25557032,4089184256,exact,224×224×3,/);
  });

  test("a detector's MACs are marked as a lower bound, in every format", async () => {
    // Box decoding and NMS depend on the image (unknown, never 0), so the MACs shown count the rest only.
    const text = await run(['list', 'fasterrcnn_resnet50_fpn']);
    expect(text.stdout).toMatch(/^fasterrcnn_resnet50_fpn\s+41,755,286\s+≥ [\d,]+\s+800×800×3/m);
    expect(text.stdout).toContain('≥: a lower bound.');
    const plain = await run(['list', 'resnet18']);
    expect(plain.stdout).not.toContain('≥');
    const json = JSON.parse((await run(['list', 'ssd300_vgg16', '--format', 'json'])).stdout);
    expect(json[0].macsLowerBound).toBe(true);
    const csv = await run(['list', 'ssd300_vgg16', '--format', 'csv']);
    expect(csv.stdout.split('\r\n')[1]).toMatch(/^ssd300_vgg16,torchvision,35641826,\d+,lower bound,/);
    const ascii = await run(['list', 'rcnn', '--ascii']);
    expect(ascii.stdout).toMatch(/>= [\d,]+\s+800x800x3/);
    expect(ascii.stdout).toMatch(/^[\x00-\x7f]*$/);
  });

  test('--convention applies to every row; without it each model counts in its own', async () => {
    // vgg16_bn: 138,365,992 parameters and 8,448 running statistics (derivation in src/zoo/totals.test.ts).
    const own = await run(['list', 'vgg16_bn', '--format', 'json']);
    expect(JSON.parse(own.stdout)[0]).toMatchObject({ name: 'vgg16_bn', params: 138_365_992, convention: 'pytorch' });
    const keras = await run(['list', 'vgg16_bn', '--convention', 'keras', '--format', 'json']);
    expect(JSON.parse(keras.stdout)[0]).toMatchObject({ params: 138_374_440, convention: 'keras' });
  });

  test('no match, or an unknown family, is an error that helps', async () => {
    const none = await run(['list', 'resnet9000']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("no built-in model matches 'resnet9000'");
    expect((await run(['vgg16', '--family', 'keras'])).stderr).toContain('--family does nothing');
    const family = await run(['list', '--family', 'kears']);
    expect(family.code).toBe(2);
    expect(family.stderr).toContain("--family must be one of torchvision, keras, hf, papers. Received: 'kears'. Did you mean 'keras'?");
  });
});

describe('errors', () => {
  test('a typo in the notation: line:column, caret, did-you-mean, exit 1', async () => {
    const r = await run(['224x224x3\nconv3-64 x2, maxpol\nFC-10']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      [
        "error[notation]: unknown layer 'maxpol'. Did you mean 'maxpool'?",
        '  --> line 2, column 14',
        '2 | conv3-64 x2, maxpol',
        '  |              ^^^^^^',
        '  Expected a word such as conv3-64, conv1-256, maxpool, avgpool, FC-4096, LRN, soft-max, dropout, bn, relu or flatten.',
        '',
      ].join('\n'),
    );
  });

  test('an input too small for the network names the layer and shows the arithmetic', async () => {
    const r = await run(['vgg16', '--input', '16x16x3']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("layer 'features.30' (MaxPool2d)");
    expect(r.stderr).toContain('⌊(1 − 2)/2⌋ + 1 = 0');
    expect(r.stderr).toContain('16 → 8 → 4 → 2 → 1');
    expect(r.stderr).not.toMatch(/\bat .*\.(ts|js):\d+/); // no stack trace
  });

  test('with --format json, errors are JSON on stderr', async () => {
    const r = await run(['224x224x3, conv3-64, maxpol', '--format', 'json']);
    expect(r.code).toBe(1);
    const e = JSON.parse(r.stderr).error;
    expect(e.code).toBe('notation');
    // '224x224x3' (9) + ', ' + 'conv3-64' (8) + ', ' puts 'maxpol' at offset 21, column 22.
    expect(e.location).toEqual({ line: 1, column: 22, offset: 21, length: 6 });
  });

  test('unknown model, option and format values', async () => {
    const m = await run(['vgg61']);
    expect(m.code).toBe(1);
    expect(m.stderr).toContain("unknown model 'vgg61'. Did you mean 'vgg11'?");
    const o = await run(['vgg16', '--explian']);
    expect(o.code).toBe(2);
    expect(o.stderr).toContain("Did you mean '--explain'?");
    const f = await run(['vgg16', '--format', 'jsno']);
    expect(f.code).toBe(2);
    expect(f.stderr).toContain("Did you mean 'json'?");
    const s = await run(['vgg16', '--input', '224x0x3']);
    expect(s.code).toBe(2);
    expect(s.stderr).toContain("each size in --input must be a whole number from 1 to 2,147,483,647, written in decimal digits. Received: '0'.");
  });

  test('a missing file', async () => {
    const r = await run(['no-such-net.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("cannot read 'no-such-net.yaml': no such file");
  });
});

describe('transformers', () => {
  test('--batch applies to every input of an encoder-decoder', async () => {
    const one = JSON.parse((await run(['t5-small', '--format', 'json'])).stdout).totals;
    const four = JSON.parse((await run(['t5-small', '--format', 'json', '--batch', '4'])).stdout).totals;
    expect(four.params).toBe(one.params);
    expect(four.macs).toBe(4 * one.macs);
  });
});

describe('Hugging Face config.json files', () => {
  test('a config.json file is read as a Hugging Face model', async () => {
    const r = await run(['test/fixtures/hf/gpt2.json']);
    expect(r.stderr).toBe('');
    // GPT-2 (small): 124,439,808 with the lm_head tied to wte (published figure).
    expect(r.stdout).toMatch(/Total params:\s+124,439,808/);
    expect(r.stdout).toMatch(/Shared weights:\s+38,597,376/); // 50,257·768
    expect(r.stdout).toMatch(/ {2}embeddings:\s+39,383,808/); // wte 50,257·768 + wpe 1,024·768
  });

  test('mixture of experts: total and active parameters', async () => {
    const t = JSON.parse((await run(['test/fixtures/hf/mixtral-8x7b.json', '--format', 'json'])).stdout).totals;
    expect([t.params, t.active]).toEqual([46_702_792_704, 12_879_925_248]);
  });

  test('an unknown model_type counted as a Llama-like decoder says so in the footer and in JSON', async () => {
    const r = await run(['test/fixtures/hf/internlm2-7b.json']);
    expect(r.stdout).toMatch(/Approximate:\s+all totals\s+model_type 'internlm2' counted as a Llama-like decoder/);
    const json = JSON.parse((await run(['test/fixtures/hf/internlm2-7b.json', '--format', 'json'])).stdout);
    expect(json.model.approximate).toBe("model_type 'internlm2' counted as a Llama-like decoder");
  });
});
