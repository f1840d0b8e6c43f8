/**
 * @module
 * JSON and YAML specs → Spec (the format is described in docs/spec-format.md). Every error is a
 * ModelError('spec') located at the offending value: a text location when the spec came from text,
 * a path such as layers[3].conv2d.kernel when it came from an object.
 *
 * This file reads the top level; from-object-layers reads layers, from-object-graph the graph parts
 * (inputs, tied weights, residual and parallel branches), from-object-notation the paper's notation.
 */
import { didYouMean } from '../suggest.js';
import { ModelError } from '../errors.js';
import { MAX_TEXT_BYTES } from '../limits.js';
import type { Loc, Shape } from '../types.js';
import { INPUT } from './build.js';
import { FUNCTIONS, SHAPE_FUNCTIONS } from './evaluate.js';
import { readRefs } from './from-object-graph.js';
import { readList } from './from-object-layers.js';
import { describe, fail, FORMS, has, isRecord, pathLocs, readInput, readName, type Ctx, type LocMap, type Path } from './from-object-read.js';
import { readLayout, seqFirstLayout } from './layout.js';
import { parseJson } from './json.js';
import { readModules } from './modules.js';
import type { Spec } from './spec.js';
import { MAX_YAML_BYTES, readYaml } from './yaml.js';

export { MAX_DEPTH, MAX_LAYERS, type LocMap, type Path } from './from-object-read.js';

const TOP_KEYS = ['name', 'input', 'inputs', 'outputs', 'training_outputs', 'seq_axis', 'layout', 'seq_first', 'modules', 'source', 'layers'];

/** `inputs: {image: 224x224x3, mask: [1, 1, 224, 224]}`: named inputs, the first being the main one. */
function readInputs(v: unknown, locs: LocMap): { name: string; shape: Shape }[] {
  const loc = locs.value(['inputs']);
  if (!isRecord(v)) return fail(loc, `'inputs' must be a mapping from input names to shapes, such as {image: 224x224x3, mask: [1, 1, 224, 224]}. Received: ${describe(v)}.`);
  const names = Object.keys(v);
  if (names.length === 0) fail(loc, `'inputs' is empty; name at least one input, or write 'input:' for a single one.`);
  return names.map((name, i) => {
    const keyLoc = locs.key(['inputs', name]);
    readName(name, keyLoc, 'input name');
    // Unnamed layers are numbered, and JavaScript objects put numeric keys first, so the main input could change.
    if (/^\d+$/.test(name)) fail(keyLoc, `an input name cannot be a number such as '${name}': unnamed layers are numbered. Use a word such as image.`);
    if (i > 0 && name === INPUT) fail(keyLoc, `only the first input may be named '${INPUT}': that name always means the first (main) input.`);
    return { name, shape: readInput(v[name], locs.value(['inputs', name]), `inputs.${name}`) };
  });
}

/** The input dimension that --seq sets: 1 for token ids [N, seq]. */
function readSeqAxis(v: unknown, locs: LocMap, input: Shape | undefined): number {
  const loc = locs.value(['seq_axis']);
  const max = input ? input.length - 1 : Infinity;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > max) {
    const range = input ? `from 1 to ${max}, a dimension of the input [${input.join(', ')}] other than the batch` : 'an integer ≥ 1 (0 is the batch)';
    fail(loc, `'seq_axis' must be ${range}. Received: seq_axis=${describe(v)}.`);
  }
  return v as number;
}

function readSpec(value: unknown, locs: LocMap, where: { readonly text?: string; readonly file?: string }): Spec {
  const isList = Array.isArray(value);
  const top: Record<string, unknown> = isList
    ? { layers: value }
    : isRecord(value)
      ? value
      : fail(locs.value([]), `a spec is a mapping with 'layers' (and optionally name, input, source), or a list of layers. Received: ${describe(value)}.`);
  if (!isList) {
    for (const k of Object.keys(top)) if (!TOP_KEYS.includes(k)) fail(locs.key([k]), `unknown top-level key '${k}'.${didYouMean(k, TOP_KEYS)} Expected: ${TOP_KEYS.join(', ')}.`);
  }
  if (!has(top, 'layers')) fail(locs.value([]), `missing 'layers': a spec needs a list of layers, such as layers: [conv3-64, maxpool, FC-10].`);
  for (const k of ['name', 'source']) {
    if (top[k] !== undefined && typeof top[k] !== 'string') fail(locs.value([k]), `'${k}' must be a string. Received: ${describe(top[k])}.`);
  }
  const given = (k: string) => top[k] !== undefined && top[k] !== null;
  if (given('input') && given('inputs')) fail(locs.key(['inputs']), `write 'input' for one input or 'inputs' for several named ones, not both.`);
  const named = given('inputs') ? readInputs(top.inputs, locs) : undefined;
  const input = named ? named[0]!.shape : given('input') ? readInput(top.input, locs.value(['input'])) : undefined;
  let seqAxis = given('seq_axis') ? readSeqAxis(top.seq_axis, locs, input) : undefined;
  if (given('layout') && given('seq_first')) fail(locs.key(['seq_first']), `write 'layout' or 'seq_first', not both.`);
  let layout: { layout: string; batchAxis: number; seqAxis: number | undefined } | undefined;
  if (given('seq_first')) {
    if (typeof top.seq_first !== 'boolean') fail(locs.value(['seq_first']), `'seq_first' must be true or false. Received: ${describe(top.seq_first)}.`);
    layout = readLayout(seqFirstLayout(top.seq_first as boolean, input, locs.value(['seq_first'])), input, locs.value(['seq_first']));
  } else if (given('layout')) {
    if (typeof top.layout !== 'string') fail(locs.value(['layout']), `'layout' names the input's dimensions in order, such as LNC or NCHW. Received: ${describe(top.layout)}.`);
    layout = readLayout(top.layout as string, input, locs.value(['layout']));
  }
  if (layout) {
    const at = locs.value([given('layout') ? 'layout' : 'seq_first']);
    if (seqAxis !== undefined && layout.seqAxis !== seqAxis) fail(at, `the layout ${layout.layout} puts the sequence at dimension ${layout.seqAxis ?? 'none'}, but seq_axis says ${seqAxis}.`);
    if (layout.batchAxis !== 0 && named && named.length > 1) fail(at, `a layout with the batch at dimension ${layout.batchAxis} applies to a single input; --batch sets dimension 0 of the others.`);
    seqAxis ??= layout.seqAxis;
  }
  // Module names may not be words the language gives a meaning (an op's spelling is allowed: YOLO's Conv).
  const reserved = (n: string): boolean => FORMS.includes(n) || [...FUNCTIONS, ...SHAPE_FUNCTIONS, 'Sequential', 'ModuleList', 'x', 'i'].includes(n) || n === 'if';
  const modules = given('modules') ? readModules(top.modules, locs, reserved) : new Map();
  const layersPath: Path = isList ? [] : ['layers'];
  const list = top.layers;
  if (!Array.isArray(list)) return fail(locs.value(layersPath), `'layers' must be a list of layers. Received: ${describe(list)}.`);
  if (list.length === 0) fail(locs.value(layersPath), `'layers' is empty; a spec needs at least one layer.`);

  const ctx: Ctx = {
    locs,
    flatInput: input !== undefined && input.length <= 2,
    mainInput: named?.[0]!.name,
    total: 0,
    flat: false,
    notes: [],
    words: new Map(),
    env: new Map(),
    modules,
    calls: [],
    work: 0,
    readList,
  };
  const layers = readList(list, layersPath, ctx, 0);
  const outputs = given('outputs') ? readRefs(top.outputs, ['outputs'], ctx) : undefined;
  const outputLocs = outputs?.map((_, i) => locs.value(Array.isArray(top.outputs) ? ['outputs', i] : ['outputs']));
  const trainingOutputs = given('training_outputs') ? readRefs(top.training_outputs, ['training_outputs'], ctx) : undefined;
  const fileName = where.file?.split(/[\\/]/).pop()?.replace(/\.[^.]*$/, '');
  const source = (top.source as string | undefined) ?? where.file;
  return {
    name: (top.name as string | undefined) ?? (fileName || 'network'),
    ...(input ? { input } : {}),
    ...(seqAxis !== undefined ? { seqAxis } : {}),
    ...(named && named.length > 1 ? { extraInputs: named.slice(1) } : {}),
    ...(outputs ? { outputs, outputLocs: outputLocs! } : {}),
    ...(trainingOutputs ? { trainingOutputs } : {}),
    ...(layout ? { inputLayout: layout.layout, batchAxis: layout.batchAxis } : {}),
    layers,
    ...(source !== undefined ? { source } : {}),
    ...(where.text !== undefined ? { text: where.text } : {}),
    ...(ctx.notes.length ? { notes: ctx.notes } : {}),
  };
}

/**
 * A Spec from a plain object (parsed JSON, or written in code). Errors point at paths such as
 * layers[3].conv2d.kernel unless `locs` says where the object was written.
 * @example fromObject({ input: '32x32x3', layers: [{ conv2d: { out: 32, kernel: 3 } }, 'relu'] })
 */
export function fromObject(value: unknown, locs: LocMap = pathLocs): Spec {
  return readSpec(value, locs, {});
}

/**
 * A Spec from YAML or JSON text. `file` names the network when the spec does not.
 * @example await parseSpecText('input: 32x32x3\nlayers: [conv3-32, maxpool, FC-10]', 'tiny.yaml')
 */
export async function parseSpecText(text: string, file?: string): Promise<Spec> {
  const at: Loc = { kind: 'text', offset: 0, length: 1, source: text };
  const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
  if (text.length > MAX_TEXT_BYTES) throw new ModelError('spec', `the spec is ${mib(text.length)}; nncalc reads specs up to ${mib(MAX_TEXT_BYTES)}.`, { loc: at });
  // JSON is read with JSON.parse, which builds no document: composing YAML takes many times the text's size.
  const json = /^\s*[[{]/.test(text) ? parseJson(text, text.length > MAX_YAML_BYTES) : undefined;
  if (!json && text.length > MAX_YAML_BYTES) {
    throw new ModelError('spec', `the YAML spec is ${mib(text.length)}; nncalc reads YAML up to ${mib(MAX_YAML_BYTES)}. Write a larger spec as JSON (up to ${mib(MAX_TEXT_BYTES)}).`, { loc: at });
  }
  const { value, locs } = json ?? (await readYaml(text));
  return readSpec(value, locs, { text, ...(file !== undefined ? { file } : {}) });
}
