/**
 * @module
 * The VGG paper's notation (Simonyan & Zisserman 2015, Table 1), read verbatim:
 *
 *   input (224 × 224 RGB image)        or 224x224x3 (H×W×C), or 784 (features)
 *   conv3-64                           3×3 convolution with 64 filters; conv7-64/2 adds a stride
 *   maxpool                            2×2 max pooling, stride 2; maxpool3/2 gives kernel/stride
 *   avgpool, gap                       average pooling; global average pooling
 *   FC-4096                            fully connected layer with 4096 outputs
 *   LRN, soft-max, dropout, bn, relu, flatten, and any op kind (tanh, sigmoid, …)
 *   conv3-512 x3, ×3, 3x conv3-512     repetition
 *
 * One layer per line or comma-separated; `#` starts a comment. The paper's implicit rules are applied
 * and can each be switched off: a ReLU after every conv and every FC but the last (§2.1); convs with
 * stride 1 and padding that preserves the size (1 pixel for 3×3); a flatten before the first FC.
 * Each layer a rule adds or shapes records the rule, so the explanation states it with the network's numbers.
 * The word `FC-conv` asks for the paper's dense evaluation (§3.2): the FC layers applied as convolutions.
 */
import { ModelError } from '../errors.js';
import { MAX_LAYERS, MAX_SIZE } from '../limits.js';
import { ops } from '../ops/index.js';
import { closest } from '../suggest.js';
import type { Loc, Shape } from '../types.js';
import { op, type OpSpec, type Spec } from './spec.js';

/** Which of the paper's implicit rules to apply, and extra layers the zoo needs. */
export interface NotationOptions {
  /** A ReLU after each conv and each FC but the last. Default true. */
  readonly relu?: boolean;
  /** A flatten before the first FC. Default true. */
  readonly flatten?: boolean;
  /** Conv padding: 'same' keeps the size (padding ⌊k/2⌋), 'valid' adds none. Default 'same'. */
  readonly padding?: 'same' | 'valid';
  /** A BatchNorm after each conv, before its ReLU (torchvision's vgg*_bn). Default false. */
  readonly batchnorm?: boolean;
  /** The network's name. */
  readonly name?: string;
  /** Dense evaluation (§3.2): the FC layers as convolutions, as the word FC-conv asks. Default false. */
  readonly dense?: boolean;
}

/** The implicit rules in general, as --help and the docs state them; an explanation states those a network applied. */
export const implicitRules = [
  'a ReLU follows every conv layer and every FC layer except the last (the paper, §2.1)',
  'conv layers have stride 1 and are padded by ⌊k/2⌋, which keeps the spatial size: 1 pixel for conv3 (§2.1)',
  'maxpool is 2×2 with stride 2 (§2.1)',
  'a flatten comes before the first FC layer (in VGG-16, 512 maps of 7×7 become 512·7·7 = 25,088 inputs)',
] as const;

interface Word {
  readonly text: string;
  readonly offset: number;
}

interface Item {
  readonly word: Word;
  readonly times: number;
}

const vocabulary = ['conv3-64', 'conv1-256', 'maxpool', 'avgpool', 'gap', 'FC-4096', 'FC-conv', 'soft-max', 'LRN', 'dropout', 'bn', 'relu', 'flatten', ...Object.keys(ops)];

/** The most layers one notation text may expand to. */
export { MAX_LAYERS };

const locOf = (w: Word, source: string): Loc => ({ kind: 'text', offset: w.offset, length: w.text.length, source });

/** Items (comma/newline separated) with their offsets, comments blanked. */
function items(text: string): Word[] {
  const clean = text.replace(/#[^\n]*/g, (m) => ' '.repeat(m.length));
  const out: Word[] = [];
  const re = /[^,;\n]+/g;
  for (let m = re.exec(clean); m; m = re.exec(clean)) {
    const lead = m[0].length - m[0].trimStart().length;
    const t = m[0].trim();
    if (t) out.push({ text: t, offset: m.index + lead });
  }
  return out;
}

/** Words of an item with their offsets. */
function words(item: Word): Word[] {
  const out: Word[] = [];
  const re = /\S+/g;
  for (let m = re.exec(item.text); m; m = re.exec(item.text)) out.push({ text: m[0], offset: item.offset + m.index });
  return out;
}

/**
 * Parses the header, if the first item is one: H×W×C → [1, C, H, W], or a feature count → [1, F].
 * Accepted forms: `224x224x3`, `224 × 224 RGB`, `input: (224 × 224 RGB image)`, `784`. The item is split into
 * tokens by one linear scan and matched token by token, so no input can make it backtrack.
 */
function header(first: Word | undefined): Shape | undefined {
  if (!first || first.text.length > 200) return undefined; // no header is that long
  const t = first.text.toLowerCase().match(/\d+|[a-z]+|\S/g) ?? [];
  let i = 0;
  const take = (...want: string[]) => (i < t.length && want.includes(t[i]!) ? t[i++] : undefined);
  const num = () => (i < t.length && /^\d+$/.test(t[i]!) ? Number(t[i++]) : undefined);
  if (take('input')) take(':', '=');
  const open = take('(');
  const h = num();
  if (h === undefined) return undefined;
  let shape: Shape;
  if (take('x', '×')) {
    const w = num();
    if (w === undefined) return undefined;
    let c: number | undefined;
    if (take('x', '×')) c = num();
    else if (take('rgb', 'bgr')) c = 3;
    else if (take('gray', 'grey', 'grayscale', 'greyscale')) c = 1;
    if (c === undefined) {
      // H×W alone: the channels change the first layer's weights, so they are asked for, not guessed.
      take('image');
      if (open) take(')');
      if (i === t.length) {
        throw new ModelError('notation', `the input '${first.text}' gives no channel count. Write ${h}x${w}x3 for an RGB image or ${h}x${w}x1 for a grayscale one.`, {
          loc: { kind: 'text', offset: first.offset, length: first.text.length },
        });
      }
      return undefined;
    }
    take('image');
    shape = [1, c, h, w];
  } else shape = [1, h];
  if (open) take(')');
  if (i !== t.length) return undefined;
  // The digits as written: a huge number is echoed exactly, not rounded.
  const bad = t.find((x) => /^\d+$/.test(x) && (Number(x) < 1 || Number(x) > MAX_SIZE));
  if (bad !== undefined) {
    throw new ModelError('notation', `each size of the input must be a whole number from 1 to ${MAX_SIZE.toLocaleString('en-US')}; '${first.text}' has ${bad}.`, {
      loc: { kind: 'text', offset: first.offset, length: first.text.length },
    });
  }
  return shape;
}

/** Layer words with their repetition counts: 'conv3-64 x2', '×2', '2x conv3-64'. */
function layerItems(list: readonly Word[], source: string): Item[] {
  const out: Item[] = [];
  // A running total stops a long text at the word that crosses the limit, before the rest is parsed.
  let total = 0;
  for (const item of list) {
    if (out.length) total += out[out.length - 1]!.times;
    if (total > MAX_LAYERS) {
      throw new ModelError('notation', `the notation asks for more than ${MAX_LAYERS.toLocaleString('en-US')} layers; nncalc reads at most that many.`, { loc: locOf(item, source) });
    }
    const ws = words(item);
    let prefix = 1;
    for (let i = 0; i < ws.length; i++) {
      const w = ws[i]!;
      const suffix = /^[x×*](\d+)$/i.exec(w.text) ?? (/^[x×*]$/i.test(w.text) && /^\d+$/.test(ws[i + 1]?.text ?? '') ? ['', ws[++i]!.text] : null);
      if (suffix) {
        const last = out[out.length - 1];
        if (!last || last.word.offset < item.offset) throw new ModelError('notation', `'${w.text}' repeats nothing: write it after a layer, as in 'conv3-64 x2'.`, { loc: locOf(w, source) });
        const times = last.times * count(suffix[1]!, w, source);
        if (times > MAX_LAYERS) throw new ModelError('notation', `'${last.word.text}' is repeated ${times.toLocaleString('en-US')} times; nncalc reads at most ${MAX_LAYERS.toLocaleString('en-US')} layers.`, { loc: locOf(w, source) });
        out[out.length - 1] = { word: last.word, times };
        continue;
      }
      const pre = /^(\d+)[x×*]$/i.exec(w.text) ?? (/^\d+$/.test(w.text) && /^[x×*]$/i.test(ws[i + 1]?.text ?? '') ? [w.text, w.text, i++] : null);
      if (pre) {
        prefix *= count(String(pre[1]), w, source);
        continue;
      }
      const glued = /^(.+)[x×](\d+)$/i.exec(w.text);
      if (glued && /^conv|^fc/i.test(glued[1]!) && parseWord(glued[1]!) && !parseWord(w.text)) {
        out.push({ word: { text: glued[1]!, offset: w.offset }, times: prefix * count(glued[2]!, w, source) });
      } else {
        out.push({ word: w, times: prefix });
      }
      prefix = 1;
    }
  }
  return out;
}

function count(digits: string, w: Word, source: string): number {
  const n = Number(digits);
  if (!Number.isSafeInteger(n) || n < 1 || n > 10000) {
    throw new ModelError('notation', `a repetition count must be between 1 and 10000. Received: ${digits}.`, { loc: locOf(w, source) });
  }
  return n;
}

type Parsed =
  | { kind: 'conv'; kernel: number[]; out: number; stride: number }
  | { kind: 'fc'; out: number }
  | { kind: 'dense' }
  | { kind: 'pool'; op: 'maxpool2d' | 'avgpool2d'; kernel: number; stride: number; implicit: boolean }
  | { kind: 'simple'; op: string; attrs: Record<string, unknown> };

/** One word of the vocabulary, or undefined. */
function parseWord(text: string): Parsed | undefined {
  const t = text.toLowerCase();
  let m = /^conv(\d+)(?:x(\d+))?-(\d+)(?:\/(\d+))?$/.exec(t);
  if (m) return { kind: 'conv', kernel: [Number(m[1]), Number(m[2] ?? m[1])], out: Number(m[3]), stride: Number(m[4] ?? 1) };
  m = /^fc-?(\d+)$/.exec(t);
  if (m) return { kind: 'fc', out: Number(m[1]) };
  if (t === 'fc-conv') return { kind: 'dense' };
  m = /^(max|avg)pool(?:(\d+)(?:\/(\d+))?)?$/.exec(t);
  if (m) {
    const kernel = Number(m[2] ?? 2);
    return { kind: 'pool', op: m[1] === 'max' ? 'maxpool2d' : 'avgpool2d', kernel, stride: Number(m[3] ?? (m[2] === undefined ? 2 : kernel)), implicit: m[2] === undefined };
  }
  if (/^soft-?max$/.test(t)) return { kind: 'simple', op: 'softmax', attrs: {} };
  if (t === 'lrn') return { kind: 'simple', op: 'lrn', attrs: {} };
  if (t === 'gap' || /^global-?avg-?pool$/.test(t)) return { kind: 'simple', op: 'global_avgpool', attrs: {} };
  if (t === 'bn' || t === 'batchnorm') return { kind: 'simple', op: 'batchnorm2d', attrs: {} };
  m = /^dropout(?:-([\d.]+))?$/.exec(t);
  if (m) return { kind: 'simple', op: 'dropout', attrs: m[1] === undefined ? {} : { p: Number(m[1]) } };
  if (Object.hasOwn(ops, t) && !/^(conv|linear|(max|avg)pool)/.test(t)) return { kind: 'simple', op: t, attrs: {} };
  return undefined;
}

/** A did-you-mean for an unknown word, built from the vocabulary and the word's own numbers. */
function suggestion(text: string): string | undefined {
  const nums = text.match(/\d+/g) ?? [];
  const shaped = nums.length >= 2 ? [`conv${nums[0]}-${nums[1]}`] : nums.length === 1 ? [`FC-${nums[0]}`, `conv3-${nums[0]}`] : [];
  return closest(text, [...shaped, ...vocabulary]);
}

/**
 * Parses the paper's notation into a Spec.
 * @example parseNotation('224x224x3, conv3-64 x2, maxpool, FC-10')
 */
export function parseNotation(text: string, options: NotationOptions = {}): Spec {
  const relu = options.relu ?? true;
  const padding = options.padding ?? 'same';
  const all = items(text);
  const input = header(all[0]);
  const list = layerItems(input ? all.slice(1) : all, text);
  if (list.length === 0) {
    throw new ModelError('notation', 'no layers: expected words such as conv3-64, maxpool, FC-4096.', { loc: { kind: 'text', offset: 0, length: text.length, source: text } });
  }
  const parsed = list.map((it) => {
    const p = parseWord(it.word.text);
    if (!p) {
      const s = suggestion(it.word.text);
      throw new ModelError('notation', `unknown layer '${it.word.text}'.${s ? ` Did you mean '${s}'?` : ''}`, {
        loc: locOf(it.word, text),
        details: ['Expected a word such as conv3-64, conv1-256, maxpool, avgpool, FC-4096, LRN, soft-max, dropout, bn, relu or flatten.'],
      });
    }
    return { ...it, p };
  });
  const total = parsed.reduce((s, it) => s + it.times, 0);
  if (total > MAX_LAYERS) {
    const worst = parsed.reduce((a, b) => (b.times > a.times ? b : a));
    throw new ModelError('notation', `the repetitions ask for ${total.toLocaleString('en-US')} layers; nncalc reads at most ${MAX_LAYERS.toLocaleString('en-US')}.`, {
      loc: locOf(worst.word, text),
    });
  }
  const dense = options.dense === true || parsed.some((it) => it.p.kind === 'dense');
  const expanded = parsed.filter((it) => it.p.kind !== 'dense').flatMap((it) => Array.from({ length: it.times }, () => it));
  const lastFc = expanded.map((e) => e.p.kind).lastIndexOf('fc');
  const isActivation = (i: number) => {
    const next = expanded[i + 1]?.p;
    return next?.kind === 'simple' && ['relu', 'relu6', 'leaky_relu', 'elu', 'gelu', 'silu', 'sigmoid', 'tanh', 'hardswish', 'mish', 'softplus', 'batchnorm2d'].includes(next.op);
  };

  const layers: OpSpec[] = [];
  const taken = new Set<string>();
  const next = new Map<string, number>(); // the next suffix to try per base name, so naming stays linear
  const unique = (base: string) => {
    let k = next.get(base) ?? 1;
    let name = k === 1 ? base : `${base}_${k}`;
    while (taken.has(name)) name = `${base}_${++k}`;
    next.set(base, k + 1);
    taken.add(name);
    return name;
  };
  let stage = 1;
  let inStage = 0;
  let fcs = 0;
  let sawFlatten = false;
  let sawLayer = false;
  expanded.forEach(({ word, p }, i) => {
    const loc = locOf(word, text);
    const label = word.text;
    if (p.kind === 'conv') {
      inStage++;
      const base = `conv${stage}_${inStage}`;
      const pad = padding === 'valid' ? 0 : p.kernel.every((k) => k % 2 === 1) ? p.kernel.map((k) => (k - 1) / 2) : 'same';
      layers.push(op('conv2d', { out: p.out, kernel: p.kernel, stride: p.stride, padding: pad }, { name: unique(base), label, loc, rule: `padding-${padding}` }));
      if (options.batchnorm) layers.push(op('batchnorm2d', {}, { name: unique(`bn${stage}_${inStage}`), label: 'bn', implicit: true, loc, rule: 'batchnorm' }));
      if (relu && !isActivation(i)) layers.push(op('relu', {}, { name: unique(`relu${stage}_${inStage}`), label: 'relu', implicit: true, loc, rule: 'relu' }));
    } else if (p.kind === 'fc') {
      fcs++;
      if ((options.flatten ?? true) && !sawFlatten && (sawLayer || input === undefined || input.length > 2)) {
        layers.push(op('flatten', {}, { name: unique('flatten'), label: 'flatten', implicit: true, loc, rule: 'flatten' }));
      }
      sawFlatten = true;
      layers.push(op('linear', { out: p.out }, { name: unique(`fc${fcs}`), label, loc }));
      if (relu && i !== lastFc && !isActivation(i)) layers.push(op('relu', {}, { name: unique(`relu_fc${fcs}`), label: 'relu', implicit: true, loc, rule: 'relu' }));
    } else if (p.kind === 'pool') {
      layers.push(op(p.op, { kernel: p.kernel, stride: p.stride }, { name: unique(`pool${stage}`), label, loc, ...(p.implicit ? { rule: 'pool' } : {}) }));
      stage++;
      inStage = 0;
    } else if (p.kind === 'simple') {
      if (p.op === 'flatten') sawFlatten = true;
      const base = { softmax: 'softmax', lrn: `norm${stage}`, dropout: `drop${fcs || stage}`, batchnorm2d: `bn${stage}_${inStage}` }[p.op] ?? p.op;
      layers.push(op(p.op, p.attrs, { name: unique(base), label, loc }));
    }
    sawLayer = true;
  });
  // The rules a network applied are stated from its layers; a rule switched off is stated only where it would have applied.
  const has = (kind: string) => expanded.some((e) => e.p.kind === kind);
  const off = [
    !relu && (has('conv') || has('fc')) ? 'no implicit ReLU (switched off): only the activations written are applied' : undefined,
    options.flatten === false && has('fc') ? 'no implicit flatten (switched off): an FC layer needs a flat input, so write flatten before it' : undefined,
  ];
  return {
    name: options.name ?? 'network',
    ...(input ? { input } : {}),
    layers,
    text,
    notes: off.filter((x): x is string => !!x),
    ...(dense ? { dense: true } : {}),
  };
}

/** True when a text looks like notation rather than a zoo name or a file path. */
export function looksLikeNotation(text: string): boolean {
  return /[,\n]/.test(text) || items(text).some((w) => words(w).some((x) => parseWord(x.text)?.kind === 'conv' || parseWord(x.text)?.kind === 'fc'));
}
