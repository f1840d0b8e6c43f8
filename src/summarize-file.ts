/**
 * @module
 * From a model file to a Report, through one path every format plugs into. A file that holds a network (an ONNX
 * graph, a Keras config) is analysed as such; one whose config or metadata names an architecture nncalc builds
 * (config.json beside safetensors, GGUF's general.architecture) is built from it, and the file's tensors are checked
 * against the architecture's weights; a weights-only file without either becomes one `tensors` layer per module:
 * parameters, dtypes and bytes from the file, MACs unknown.
 */
import { analyze, type FileInfo, type Report } from './analyze/index.js';
import { memory } from './memory/index.js';
import { ModelError } from './errors.js';
import { readModel, type ModelFile, type ReadOptions } from './formats/index.js';
import { hfTensorName } from './formats/gguf-config.js';
import { checkAgainst, dtypeSummary, foldBlocks, totalsOf, weightsGraph } from './formats/weights.js';
import { toNumber } from './int.js';
import { MAX_FILE_CONFIG_LAYERS } from './limits.js';
import type { ByteSource, ByteStats } from './io/bytes.js';
import type { Folder } from './io/folder.js';
import { summarize, type SummarizeOptions } from './summarize.js';
import { readConfig } from './zoo/hf/config.js';
import { fromHfConfig } from './zoo/hf/index.js';

/** The last part of a path or URL: the model's name in the report. */
const baseName = (name: string): string => name.replace(/[\\/]+$/, '').split(/[\\/]/).pop() || name;

/** Total requests and bytes of several sources' stats. */
export const addStats = (stats: readonly ByteStats[]): ByteStats => ({ requests: stats.reduce((s, x) => s + x.requests, 0), bytes: stats.reduce((s, x) => s + x.bytes, 0) });

function fileInfo(file: ModelFile, architecture: string | undefined, check: FileInfo['check'], read: ByteStats | undefined): FileInfo {
  const { params, bytes } = totalsOf(file.tensors);
  const [p, b] = [toNumber(params), toNumber(bytes)];
  return {
    format: file.format,
    name: file.name,
    tensors: file.tensors.length,
    params,
    bytes,
    dtypes: dtypeSummary(file.tensors),
    ...(p > 0 && b > 0 ? { bitsPerWeight: (8 * b) / p } : {}),
    blocks: foldBlocks(file.tensors),
    ...(architecture ? { architecture } : {}),
    ...(check ? { check } : {}),
    metadata: file.metadata,
    ...(read ? { read: { requests: read.requests, bytes: read.bytes } } : {}),
  };
}

/** The report of the architecture a config names, and the file's tensors checked against it. */
function fromConfig(file: ModelFile, config: Readonly<Record<string, unknown>>, options: SummarizeOptions): { report: Report; architecture: string; check?: FileInfo['check'] } {
  const layers = config['num_hidden_layers'] ?? config['n_layer'] ?? config['num_layers'];
  if (typeof layers === 'number' && layers > MAX_FILE_CONFIG_LAYERS) {
    throw new ModelError('file', `${file.name}: the config declares ${layers} layers, more than the ${MAX_FILE_CONFIG_LAYERS} nncalc builds from a model file's config.`);
  }
  const spec = fromHfConfig(config, typeof config['_name_or_path'] === 'string' ? undefined : baseName(file.name));
  const report = summarize(spec, options);
  const architecture = readConfig(config).architecture;
  if (!file.tensors.length) return { report, architecture };
  const arch = file.metadata['general.architecture'];
  const rename = file.format === 'gguf' && typeof arch === 'string' ? (n: string) => hfTensorName(arch, n) ?? n : undefined;
  return { report, architecture, check: checkAgainst(report, file.tensors, architecture, rename) };
}

/** One `tensors` layer per module of a weights-only file. */
function fromTensors(file: ModelFile, options: SummarizeOptions, source: string, notes: readonly string[]): Report {
  if (options.input || options.seq !== undefined || options.batch !== undefined) {
    throw new ModelError('input', `${file.name} holds weights only, with no architecture nncalc knows, so --input, --batch and --seq do not apply: there is no input to size.`);
  }
  if (file.tensors.length === 0) throw new ModelError('file', `${file.format}: ${file.name} declares no tensors.`);
  const sorted = file.format === 'safetensors';
  return analyze(weightsGraph(baseName(file.name), file.tensors, sorted), { convention: options.convention ?? 'pytorch', source, notes });
}

/**
 * The report of a model file already read. `read` is what reading it took (shown in the summary). A config that
 * nncalc cannot build (an unsupported model_type, a key that makes no sense) beside weights is noted, and the
 * weights are grouped by name instead.
 * @example summarizeModelFile(await readModel(src)).file?.blocks[0] // { name: 'model.layers.N', count: 32, … }
 */
export function summarizeModelFile(file: ModelFile, options: SummarizeOptions = {}, read?: ByteStats): Report {
  const source = `${file.format} file ${file.name}`;
  let report: Report;
  let architecture: string | undefined;
  let check: FileInfo['check'];
  let unused: string | undefined;
  if (file.graph) report = analyze(file.graph, { convention: options.convention ?? 'pytorch', source, notes: file.notes });
  else if (file.spec) {
    report = summarize(file.spec, options);
    // A network the file describes (a Keras config, a pickled nn.Sequential) beside its tensors: they must agree.
    if (file.tensors.length) {
      architecture = file.spec.source ?? file.spec.name;
      check = checkAgainst(report, file.tensors, architecture);
    }
  } else {
    let built: ReturnType<typeof fromConfig> | undefined;
    if (file.config) {
      try {
        built = fromConfig(file, file.config, options);
      } catch (e) {
        // Bad command-line values are the user's to fix; a config nncalc cannot build leaves the weights to show.
        if (!(e instanceof ModelError) || e.code === 'input' || file.tensors.length === 0) throw e;
        unused = `The config was not used (${e.message.replace(/\.$/, '')}), so the tensors are grouped by name and MACs are unknown.`;
      }
    }
    if (built) ({ report, architecture, check } = built);
    else report = fromTensors(file, options, source, [...file.notes, ...(unused ? [unused] : [])]);
  }
  const notes = file.graph || (!architecture && !file.spec) ? report.model.notes : [...report.model.notes, ...file.notes];
  const diagnostics = [...report.diagnostics, ...(check?.differences ?? []).map((message) => ({ severity: 'warning' as const, message }))];
  const full: Report = { ...report, model: { ...report.model, source, notes }, diagnostics, file: fileInfo(file, architecture, check, read) };
  return options.memory === false ? full : { ...full, memory: memory(full, options.memory ?? {}) };
}

/**
 * Reads a model file or folder (metadata only) and analyses it.
 * @example const report = await summarizeFile(await nodeFileSource('model.safetensors'));
 */
export async function summarizeFile(input: ByteSource | Folder, options: SummarizeOptions & ReadOptions = {}): Promise<Report> {
  const opened: ByteSource[] = [];
  const track = (s: ByteSource | undefined) => (s && opened.push(s), s);
  const sibling = options.sibling;
  const read: ReadOptions = { ...options, ...(sibling ? { sibling: async (n: string) => track(await sibling(n)) } : {}) };
  const tracked: ByteSource | Folder = 'read' in input ? track(input)! : { ...input, open: async (p: string) => track(await input.open(p)) };
  const file = await readModel(tracked, read);
  return summarizeModelFile(file, options, addStats(opened.map((s) => s.stats)));
}
