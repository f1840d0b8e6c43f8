/**
 * @module
 * The command line. `main(argv, io)` returns the exit code and never exits or touches process globals,
 * so tests call it directly.
 */
import { parseArgs } from 'node:util';
import { errorJson, formatError, ModelError } from '../errors.js';
import { FORMATS, render, type RenderFormat } from '../render/index.js';
import { implicitRules, type NotationOptions } from '../describe/notation.js';
import { didYouMean } from '../suggest.js';
import { checkConvention, parseShape, parseSize } from '../options.js';
import { MEMORY_FLAGS, MEMORY_HELP, memoryOptions } from './memory-options.js';
import { summarize, type SummarizeOptions } from '../summarize.js';
import type { Spec } from '../describe/spec.js';
import { loadSource, type CliContext, type Command, type LoadedFile } from './load.js';
import { collapse } from '../analyze/collapse.js';
import { outputText } from '../render/printable.js';

/** What the CLI reads and writes. */
export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly readStdin: () => Promise<string>;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Terminal width when stdout is a terminal. */
  readonly columns?: number | undefined;
  readonly isTTY?: boolean;
}

const options = {
  input: { type: 'string', short: 'i' },
  batch: { type: 'string', short: 'b' },
  seq: { type: 'string', short: 's' },
  format: { type: 'string', short: 'f' },
  explain: { type: 'boolean', short: 'e' },
  dense: { type: 'boolean' },
  convention: { type: 'string' },
  'no-implicit': { type: 'boolean' },
  'no-implicit-relu': { type: 'boolean' },
  'no-implicit-padding': { type: 'boolean' },
  'no-implicit-flatten': { type: 'boolean' },
  depth: { type: 'string', short: 'd' },
  rf: { type: 'boolean' },
  ascii: { type: 'boolean' },
  width: { type: 'string' },
  layer: { type: 'string', short: 'l' },
  family: { type: 'string' },
  port: { type: 'string' },
  all: { type: 'boolean' },
  'vs-input': { type: 'string' },
  'vs-batch': { type: 'string' },
  'vs-seq': { type: 'string' },
  'vs-convention': { type: 'string' },
  'vs-dtype': { type: 'string' },
  ...MEMORY_FLAGS,
  memory: { type: 'string' },
  gpu: { type: 'string' },
  offline: { type: 'boolean' },
  bind: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

export const VERSION = '0.1.0';

export const HELP = `nncalc — the neural-network calculator: parameters, output shapes and MACs of every layer, with the formula behind each number.

Usage
  nncalc <model> [options]      a zoo name, the VGG paper's notation, a .json/.yaml spec, a Hugging Face
                                config.json, - for stdin, or a model file: .safetensors (sharded too), .gguf,
                                a model folder, an https:// URL or hf:owner/name[@revision][/file]
                                (only metadata is read, by Range requests for URLs)
  nncalc list [filter]          the built-in models by family, with their parameter counts and MACs
                                (a filter such as llama matches names and descriptions; --family picks one:
                                torchvision, keras, hf or papers)
  nncalc check <model> <claims> where your own calculation goes wrong (claims: a .txt/.md/.csv file, @file,
                                - or the text itself; exit 0 when every claim holds, 1 when one is wrong
                                or a line is not read; docs/check.md)
  nncalc explain <model>        every number of every layer derived step by step (--layer for one)
  nncalc explain summary.txt    a pasted Keras or torchinfo summary, every row's count explained (or -)
  nncalc diff <a> <b>           what differs between two models, layer by layer, and why
  nncalc diff <model> --vs-…    one model under two settings: the command line's and the --vs-… ones
  nncalc web [--port N]         the web page on this machine: type, pick or drop a model, nothing is uploaded
  nncalc fit <model>            will it fit: the largest batch (or --context) under --memory 24GiB or --gpu
                                rtx4090, and the GPUs and strategy that fit when one does not

Options
  -i, --input SHAPE             224x224x3 (H×W×C, as the paper writes it), 1,3,224,224 (batch first) or 784 (features)
  -b, --batch N                 batch size (default 1)
  -s, --seq N                   sequence length, for transformers (default 128, or the position table if
                                shorter; the output states it); past a learned position table it is an error
  -e, --explain                 show the formulas: weights + biases per layer, spatial sizes, stage subtotals
  -f, --format FORMAT           table (default), json, csv or md
  -d, --depth N                 one row per module at depth N (1: features, avgpool, classifier)
      --dense                   VGG §3.2: the FC layers after the flatten as convolutions (the first k×k, the
                                others 1×1), for inputs larger than the training size; notation: FC-conv
      --rf                      a receptive-field column: size and jump in input pixels, along H
                                (the first spatial axis: D of a volume, L of a sequence)
      --convention NAME         pytorch: BatchNorm running statistics are buffers (the default, except for
                                keras:… models); keras: they are non-trainable parameters, as model.summary() shows
      --no-implicit             notation: apply none of the implicit rules below
      --no-implicit-relu        notation: no ReLU after conv and FC layers
      --no-implicit-padding     notation: convs without padding ('valid')
      --no-implicit-flatten     notation: no flatten before the first FC layer
      --ascii                   ASCII rules instead of box-drawing characters
      --width N                 fit the table to N columns (default: the terminal's width)
      --offline                 never use the network: URLs and hf: references are an error
      --bind NAME=N             a model file's symbolic dimension (ONNX: --bind batch=8); repeatable
  -l, --layer NAME              explain: one layer by name (features.10), or all with a label (conv3-256)
      --family NAME             list: one family, torchvision, keras, hf or papers
      --port N                  web: the port to serve the page on (default: any free one)
      --all                     diff: show every layer, not only those that differ
      --vs-input SHAPE          diff: the second side's input shape
      --vs-batch N              diff: the second side's batch size
      --vs-seq N                diff: the second side's sequence length
      --vs-convention NAME      diff: the second side's convention (pytorch or keras)
      --vs-dtype TYPE           diff: the second side's weight storage type
      --memory SIZE             fit: the memory to fit in, with its unit (24GiB, 80GB)
      --gpu NAME                fit: a GPU's memory as nvidia-smi reports it (rtx4090, a100, h100, …)

${MEMORY_HELP}
  -h, --help                    this help
  -v, --version                 the version

The notation (Simonyan & Zisserman 2015, Table 1), one layer per line or comma-separated:
  224x224x3 or "input (224 × 224 RGB image)"   the input, H×W×C
  conv3-64      3×3 convolution, 64 filters (conv7-64/2: stride 2)
  maxpool       2×2 max pooling, stride 2 (maxpool3/2: 3×3, stride 2)
  FC-4096       fully connected, 4096 outputs
  LRN, soft-max, dropout, bn, relu, flatten, avgpool, gap
  conv3-512 x3  repetition (also ×3, or 3x conv3-512)
  FC-conv       the FC layers as convolutions (dense evaluation, §3.2), as --dense
Its implicit rules, as the paper states them:
${implicitRules.map((r) => `  - ${r}`).join('\n')}

Examples
  nncalc vgg16                                   VGG-16: 138,357,544 parameters, layer by layer
  nncalc vgg16 --explain                         …and how every number arises
  nncalc "224x224x3, conv3-64 x2, maxpool, FC-10" --explain
  nncalc alexnet-paper --format md               a Markdown table for notes or a paper
  nncalc vgg16_bn --convention keras             BatchNorm statistics as Keras counts them
  nncalc keras:ResNet50                          Keras's ResNet50 as model.summary() shows it: 25,636,712
  nncalc list resnet --family keras              the zoo's Keras ResNets
  nncalc check vgg16 "conv3-256: 0.59M = (3*3)*(256*256)"   the classic mistake, diagnosed
  nncalc llama-2-7b --seq 4096                   6,738,415,616 parameters; MACs with attention at 4k tokens
  nncalc path/to/config.json                     a Hugging Face config, with a role breakdown
  nncalc explain vgg16 --layer conv3-256         the derivation of VGG-16's three conv3-256 layers
  nncalc diff alexnet-paper alexnet-ungrouped    what the two-GPU groups save, layer by layer
  nncalc diff vgg-d --vs-input 384x384x3         the same network on a larger input
  nncalc diff vgg16_bn --vs-convention keras     PyTorch against Keras counting
  nncalc net.yaml --format json                  a spec file, as JSON (schema in docs/json-schema.md)
  nncalc model.safetensors                       parameters per module, dtypes and bytes, read from the header
  nncalc llama-q4_k_m.gguf                       a GGUF model: its architecture's layers and MACs, bits per weight
  nncalc hf:Qwen/Qwen2-0.5B                      a Hub repository: config.json and safetensors headers, by Range
  nncalc vgg-d --dense --input 384x384x3         138,357,544 parameters still; a 6×6 map of class scores
  echo "conv5-6, maxpool, conv5-16, maxpool, FC-120, FC-84, FC-10" | nncalc - --input 32x32x1 --no-implicit-padding
                                                 LeNet-5 without padding (32 → 28 → 14 → 10 → 5): 61,706 parameters
`;

/** --bind batch=8 --bind sequence=128: values for a model file's symbolic dimensions. */
function bindings(list: readonly string[] | undefined): Record<string, number> | undefined {
  if (!list?.length) return undefined;
  const out: Record<string, number> = {};
  for (const item of list) {
    const eq = item.lastIndexOf('=');
    if (eq < 1) throw new ModelError('input', `--bind takes name=value, such as --bind batch=8. Received: '${item}'.`);
    out[item.slice(0, eq)] = parseSize(item.slice(eq + 1), `--bind ${item.slice(0, eq)}`);
  }
  return out;
}

/** A size option, or undefined when absent. */
const size = (text: string | undefined, flag: string): number | undefined => (text === undefined ? undefined : option(() => parseSize(text, flag)));

/** Options that only some commands or formats use: giving one where it does nothing is an error, not a silent no-op. */
function unused(v: Readonly<Record<string, unknown>>, command: string, format: RenderFormat): string | undefined {
  const only: Readonly<Record<string, (c: string, f: RenderFormat) => boolean>> = {
    'vs-input': (c) => c === 'diff',
    'vs-batch': (c) => c === 'diff',
    'vs-seq': (c) => c === 'diff',
    'vs-convention': (c) => c === 'diff',
    'vs-dtype': (c) => c === 'diff',
    all: (c) => c === 'diff',
    layer: (c) => c === 'explain',
    family: (c) => c === 'list',
    port: (c) => c === 'web',
    rf: (c, f) => c === '' && (f === 'table' || f === 'md' || f === 'json'),
    explain: (c, f) => c === '' && f !== 'csv' && f !== 'json',
    ascii: (_, f) => f === 'table',
    width: (_, f) => f === 'table',
    memory: (c) => c === 'fit',
    gpu: (c) => c === 'fit',
    ...Object.fromEntries(Object.keys(MEMORY_FLAGS).map((k) => [k, (c: string) => c === '' || c === 'fit' || c === 'diff' || c === 'explain'])),
  };
  for (const [flag, applies] of Object.entries(only)) {
    if (v[flag] === undefined || applies(command, format)) continue;
    const where = command ? `'nncalc ${command}'` : `a report in --format ${format}`;
    const note = flag === 'rf' && format === 'json' ? '' : flag === 'rf' ? ' (the JSON output carries every layer\'s receptive field)' : '';
    return `--${flag} does nothing for ${where}${note}.`;
  }
  return undefined;
}

/** Subcommands, loaded only when used. Each takes its positional arguments and the shared context. */
const commands: Readonly<Record<string, () => Promise<Command>>> = {
  list: async () => (await import('./list.js')).listCommand,
  check: async () => (await import('./check.js')).check,
  explain: async () => (await import('./explain.js')).explainCommand,
  diff: async () => (await import('./diff.js')).diffCommand,
  web: async () => (await import('./web.js')).webCommand,
  fit: async () => (await import('./fit.js')).fitCommand,
};

/** Runs an option reader; its error becomes a usage error (exit code 2). */
function option<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof ModelError) throw usage(e.message, e.details);
    throw e;
  }
}

function usage(message: string, details: readonly string[] = []): ModelError {
  return new ModelError('input', message, { details: [...details, "Run 'nncalc --help' for the options and examples."] });
}

/** Runs the CLI; returns the exit code (0 success, 1 bad input or model, 2 bad usage). */
export async function main(argv: readonly string[], raw: Io): Promise<number> {
  // Everything printed is made safe for a terminal: names from a hostile file cannot carry escape sequences.
  let colours = false;
  // Standard input can be read once; a command that looks at it first (explain) and then loads it gets the same text.
  let stdin: Promise<string> | undefined;
  const io: Io = { ...raw, stdout: (t) => raw.stdout(outputText(t, colours)), stderr: (t) => raw.stderr(outputText(t, false)), readStdin: () => (stdin ??= raw.readStdin()) };
  let json = argv.includes('json') && argv.some((a) => a === '--format' || a === '-f' || a.startsWith('--format='));
  let source: string | undefined;
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
    } catch (e) {
      const flag = /'(-{1,2}[^']+)'/.exec(String((e as Error).message))?.[1] ?? '';
      const names = Object.keys(options).map((k) => `--${k}`);
      throw usage(`${(e as Error).message.replace(/\. To specify a positional.*$/s, '')}.${flag ? didYouMean(flag.split('=')[0]!, names) : ''}`);
    }
    const { values: v, positionals } = parsed;
    if (v.help) return io.stdout(HELP), 0;
    if (v.version) return io.stdout(`nncalc ${VERSION}\n`), 0;
    const format = (v.format ?? 'table') as RenderFormat;
    if (!FORMATS.includes(format)) throw usage(`--format must be one of ${FORMATS.join(', ')}. Received: '${v.format}'.${didYouMean(v.format ?? '', FORMATS)}`);
    json = format === 'json';
    // Absent: each model's own (Keras's models count in Keras's convention, the others in PyTorch's).
    const convention = v.convention === undefined ? undefined : option(() => checkConvention(v.convention, '--convention'));
    const width = v.width !== undefined ? option(() => parseSize(v.width!, '--width')) : io.isTTY && io.columns ? io.columns : Number(io.env.COLUMNS) || Infinity;
    if (!(width >= 20)) throw usage(`--width must be at least 20. Received: '${v.width}'.`);
    const color = !!io.isTTY && io.env.NO_COLOR === undefined && io.env.TERM !== 'dumb';
    colours = color;

    if (positionals.length === 0) throw usage('no model given. Try: nncalc vgg16');
    const none = v['no-implicit'];
    const notation: NotationOptions = {
      relu: !(none || v['no-implicit-relu']),
      flatten: !(none || v['no-implicit-flatten']),
      padding: none || v['no-implicit-padding'] ? 'valid' : 'same',
    };
    const input = v.input !== undefined ? option(() => parseShape(v.input!)) : undefined;
    const batch = size(v.batch, '--batch');
    const seq = size(v.seq, '--seq');
    const depth = size(v.depth, '--depth');
    const memoryOpts = option(() => memoryOptions(v));
    // Each argument is read once: a diff may analyse the same stdin or file twice.
    const sources = new Map<string, Promise<string | Spec | LoadedFile>>();
    const bind = option(() => bindings(v.bind));
    const fileRead = { ...(input ? { input } : {}), ...(batch ? { batch } : {}), ...(bind ? { bind } : {}) };
    const read = (arg: string): Promise<string | Spec | LoadedFile> => sources.get(arg) ?? sources.set(arg, loadSource(arg, io, !!v.offline, fileRead)).get(arg)!;
    const ctx: CliContext = {
      io,
      values: v,
      format,
      width,
      color,
      ...(convention ? { convention } : {}),
      ...(depth !== undefined ? { depth } : {}),
      load: (arg) => ctx.loadWith(arg, {}),
      async loadWith(arg, overrides) {
        const loaded = await read(arg);
        const settings: SummarizeOptions = { ...(input ? { input } : {}), ...(batch ? { batch } : {}), ...(seq ? { seq } : {}), ...(convention ? { convention } : {}), ...(memoryOpts ? { memory: memoryOpts } : {}), notation, ...(v.dense ? { dense: true } : {}), ...overrides };
        if (typeof loaded !== 'string' && 'file' in loaded) {
          source = undefined;
          const { summarizeModelFile } = await import('../summarize-file.js');
          return summarizeModelFile(loaded.file, settings, loaded.read);
        }
        source = typeof loaded === 'string' ? loaded : loaded.text;
        return summarize(loaded, settings);
      },
      usage,
    };
    const name = positionals[0] ?? '';
    // Own properties only: 'constructor' or 'toString' is a model argument, not a command.
    const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
    const idle = unused(v, command ? name : '', format);
    if (idle) throw usage(idle);
    if (command) return await (await command())(positionals.slice(1), ctx);
    if (positionals.length === 0) throw usage('no model given. Try: nncalc vgg16');
    if (positionals.length > 1) throw usage(`one model at a time; received ${positionals.length}: ${positionals.map((p) => `'${p}'`).join(', ')}. Quote notation that contains spaces.`);
    const full = await ctx.load(positionals[0]!);
    const report = depth === undefined ? full : collapse(full, depth);
    io.stdout(render(report, format, { explain: !!v.explain, rf: !!v.rf, width, color, ascii: !!v.ascii, ...(report === full ? {} : { full }) }));
    return 0;
  } catch (e) {
    if (!(e instanceof ModelError)) throw e;
    io.stderr(json ? `${JSON.stringify(errorJson(e, source))}\n` : `${formatError(e, source)}\n`);
    return e.code === 'input' && e.details.some((d) => d.includes('--help')) ? 2 : 1;
  }
}
export { nodeIo } from './node-io.js';
