/**
 * @module
 * Walks an ONNX ModelProto (field numbers from onnx/onnx.proto) into the plain records of ./types.ts:
 * ModelProto (ir_version 1, producer 2–3, domain 4, model_version 5, graph 7, opset_import 8,
 * metadata_props 14, training_info 20, functions 25), GraphProto (node 1, name 2, initializer 5, input 11,
 * output 12, value_info 13, sparse_initializer 15), NodeProto (input 1, output 2, name 3, op_type 4,
 * attribute 5, domain 7) and AttributeProto; the leaf messages are in ./proto-info.ts.
 * Doc strings and every other field are passed by length. Graphs nest through attributes (If, Loop, Scan);
 * the nesting is bounded. Nodes, external tensors and value infos wholly in the window take the fast paths of
 * ./fast.ts.
 */
import type { Reader } from '../../io/bytes.js';
import { finish, fitted, I32, int64, key, LEN, need, now, skipValue, sub, text, VARINT, wrongWire, type Key, type Scan } from '../../io/protobuf.js';
import { nodeNow, tensorNow, valueInfoNow } from './fast.js';
import { opsetProto, sparseProto, str, uint, valueInfoProto } from './proto-info.js';
import { entry, MAX_LIST, MAX_TEXT, tensorProto, type ParseContext } from './tensor.js';
import type { OnnxAttribute, OnnxGraph, OnnxModel, OnnxNode, OnnxTensor, OnnxValueInfo } from './types.js';

/** Deepest nesting of graphs inside node attributes. */
export const MAX_GRAPH_DEPTH = 8;

/** Parses a whole ModelProto spanning [0, end). */
export function* modelProto(c: ParseContext, end: number): Scan<OnnxModel> {
  const r = c.r;
  const what = 'ModelProto';
  let irVersion: number | undefined;
  let modelVersion: number | undefined;
  let producerName = '';
  let producerVersion = '';
  let domain = '';
  let graph: OnnxGraph | undefined;
  const opsets: { domain: string; version: number }[] = [];
  const metadata: Record<string, string> = {};
  let functions = 0;
  let trainingInfo = 0;
  while (r.position < end) {
    const n = need(r, end);
    if (n) yield n;
    const k = key(r, what);
    switch (k.field) {
      case 1:
        irVersion = uint(r, k, what, 'ir_version');
        break;
      case 2:
        producerName = yield* str(r, k, end, what, 'producer_name');
        break;
      case 3:
        producerVersion = yield* str(r, k, end, what, 'producer_version');
        break;
      case 4:
        domain = yield* str(r, k, end, what, 'domain');
        break;
      case 5:
        modelVersion = uint(r, k, what, 'model_version');
        break;
      case 7: {
        const stop = sub(r, k, end, what, 'graph');
        if (graph) throw r.error(`${what} has two graphs`, k.at);
        graph = yield* graphProto(c, stop, 0);
        break;
      }
      case 8: {
        const stop = sub(r, k, end, what, 'opset_import');
        opsets.push(yield* opsetProto(c, stop));
        break;
      }
      case 14: {
        const stop = sub(r, k, end, what, 'metadata_props');
        const [mk, mv] = yield* entry(c, stop, 'a metadata_props entry');
        metadata[mk] = mv;
        break;
      }
      case 20:
      case 25:
        if (k.field === 20) trainingInfo++;
        else functions++;
        skipValue(r, k, end, what);
        break;
      default:
        skipValue(r, k, end, what);
    }
  }
  finish(r, end, what);
  return { irVersion, producerName, producerVersion, domain, modelVersion, opsets, graph, metadata, functions, trainingInfo };
}

/** A fast path's record (./fast.ts), or undefined with the reader back at the message's start for the general parser. */
function quick<T>(c: ParseContext, end: number, read: (r: Reader, end: number) => T | undefined): T | undefined {
  if (c.fast === false) return undefined;
  const start = c.r.position;
  const got = read(c.r, end);
  if (got === undefined) c.r.seek(start);
  return got;
}

/** Parses a GraphProto; `depth` counts the graphs around it. */
export function* graphProto(c: ParseContext, end: number, depth: number): Scan<OnnxGraph> {
  const r = c.r;
  if (depth > MAX_GRAPH_DEPTH) throw r.error(`graphs nest more than ${MAX_GRAPH_DEPTH} deep through node attributes`);
  let what = 'GraphProto';
  let name = '';
  const nodes: OnnxNode[] = [];
  const initializers: OnnxTensor[] = [];
  const sparseInitializers: OnnxTensor[] = [];
  const inputs: OnnxValueInfo[] = [];
  const outputs: OnnxValueInfo[] = [];
  const valueInfo: OnnxValueInfo[] = [];
  while (r.position < end) {
    const n = need(r, end);
    if (n) yield n;
    const k = key(r, what);
    switch (k.field) {
      case 1: {
        const stop = sub(r, k, end, what, 'node');
        nodes.push(quick(c, stop, nodeNow) ?? (yield* nodeProto(c, stop, depth, nodes.length)));
        break;
      }
      case 2:
        name = yield* str(r, k, end, what, 'name');
        what = `graph '${name}'`;
        break;
      case 5: {
        const stop = sub(r, k, end, what, 'initializer');
        initializers.push(quick(c, stop, tensorNow) ?? (yield* tensorProto(c, stop, what)));
        break;
      }
      case 11:
      case 12:
      case 13: {
        const list = k.field === 11 ? inputs : k.field === 12 ? outputs : valueInfo;
        const stop = sub(r, k, end, what, k.field === 11 ? 'input' : k.field === 12 ? 'output' : 'value_info');
        list.push(quick(c, stop, valueInfoNow) ?? (yield* valueInfoProto(c, stop)));
        break;
      }
      case 15:
        sparseInitializers.push(yield* sparseProto(c, sub(r, k, end, what, 'sparse_initializer'), what));
        break;
      default:
        skipValue(r, k, end, what);
    }
  }
  finish(r, end, what);
  return { name, nodes, initializers, sparseInitializers, inputs, outputs, valueInfo };
}

/** NodeProto. */
function* nodeProto(c: ParseContext, end: number, depth: number, index: number): Scan<OnnxNode> {
  const r = c.r;
  const at = r.position;
  let what = 'a node';
  void index;
  let name = '';
  let opType = '';
  let domain = '';
  const inputs: string[] = [];
  const outputs: string[] = [];
  const attributes: OnnxAttribute[] = [];
  while (r.position < end) {
    const n = need(r, end);
    if (n) yield n;
    const k = key(r, what);
    switch (k.field) {
      // Strings already in the window are decoded in place (most are); longer ones are read through the window.
      case 1:
      case 2:
      case 3:
      case 4: {
        const field = k.field === 1 ? 'input' : k.field === 2 ? 'output' : k.field === 3 ? 'name' : 'op_type';
        const got = now(r, k, end, what, field, MAX_TEXT);
        const value = typeof got === 'string' ? got : yield* text(r, got, MAX_TEXT, what, field);
        if (k.field === 1) inputs.push(value);
        else if (k.field === 2) outputs.push(value);
        else if (k.field === 3) {
          name = value;
          what = `node '${name}'`;
        } else opType = value;
        break;
      }
      case 5:
        attributes.push(yield* attributeProto(c, sub(r, k, end, what, 'attribute'), depth, what));
        break;
      case 7:
        domain = yield* str(r, k, end, what, 'domain');
        break;
      default:
        skipValue(r, k, end, what);
    }
  }
  finish(r, end, what);
  return { name, opType, domain: domain === 'ai.onnx' ? '' : domain, inputs: fitted(inputs), outputs: fitted(outputs), attributes: fitted(attributes), at };
}

/** AttributeProto: the value fields by number (f 2, i 3, s 4, t 5, g 6, floats 7, ints 8, strings 9, tensors 10, graphs 11, type 20). */
function* attributeProto(c: ParseContext, end: number, depth: number, where: string): Scan<OnnxAttribute> {
  const r = c.r;
  let what = where;
  let name = '';
  let type = 0;
  // Fields as they come; lists are made when a value for them does (an attribute has one kind of value).
  const a: { -readonly [K in keyof OnnxAttribute]: OnnxAttribute[K] } = { name, type };
  let floats: number[] | undefined;
  let ints: number[] | undefined;
  let strings: string[] | undefined;
  let tensors: OnnxTensor[] | undefined;
  let graphs: OnnxGraph[] | undefined;
  const full = (list: unknown[], k: Key) => {
    if (list.length > MAX_LIST) throw r.error(`${what} lists more than ${MAX_LIST} values`, k.at);
  };
  while (r.position < end) {
    const n = need(r, end);
    if (n) yield n;
    const k = key(r, what);
    switch (k.field) {
      case 1: {
        const got = now(r, k, end, what, 'name', MAX_TEXT);
        name = typeof got === 'string' ? got : yield* text(r, got, MAX_TEXT, what, 'name');
        what = `attribute '${name}' of ${where}`;
        break;
      }
      case 2:
        if (k.wire !== I32) throw wrongWire(r, k, what, 'f', [I32]);
        a.f = r.f32();
        break;
      case 3:
        if (k.wire !== VARINT) throw wrongWire(r, k, what, 'i', [VARINT]);
        a.i = int64(r, what);
        break;
      case 4:
        a.s = yield* str(r, k, end, what, 's');
        break;
      case 5:
        a.t = yield* tensorProto(c, sub(r, k, end, what, 't'), what);
        break;
      case 6:
      case 11:
        (graphs ??= []).push(yield* graphProto(c, sub(r, k, end, what, k.field === 6 ? 'g' : 'graphs'), depth + 1));
        break;
      case 7:
        floats ??= [];
        if (k.wire === I32) floats.push(r.f32());
        else if (k.wire === LEN) {
          const stop = sub(r, k, end, what, 'floats');
          if ((stop - r.position) % 4 !== 0) throw r.error(`the packed floats of ${what} take ${stop - r.position} bytes, not a multiple of 4`, k.at);
          while (r.position < stop) {
            if (r.available < 4) yield Math.min(stop - r.position, 4096);
            floats.push(r.f32());
            full(floats, k);
          }
          finish(r, stop, what);
        } else throw wrongWire(r, k, what, 'floats', [I32, LEN]);
        full(floats, k);
        break;
      case 8:
        ints ??= [];
        if (k.wire === VARINT) ints.push(int64(r, what));
        else if (k.wire === LEN) {
          const stop = sub(r, k, end, what, 'ints');
          while (r.position < stop) {
            const m = need(r, stop, 10);
            if (m) yield m;
            ints.push(int64(r, what));
            full(ints, k);
          }
          finish(r, stop, what);
        } else throw wrongWire(r, k, what, 'ints', [VARINT, LEN]);
        full(ints, k);
        break;
      case 9:
        (strings ??= []).push(yield* str(r, k, end, what, 'strings'));
        full(strings, k);
        break;
      case 10:
        (tensors ??= []).push(yield* tensorProto(c, sub(r, k, end, what, 'tensors'), what));
        break;
      case 20:
        type = uint(r, k, what, 'type');
        break;
      default:
        skipValue(r, k, end, what);
    }
  }
  finish(r, end, what);
  a.name = name;
  a.type = type;
  if (floats?.length) a.floats = fitted(floats);
  if (ints?.length) a.ints = fitted(ints);
  if (strings) a.strings = strings;
  if (tensors) a.tensors = tensors;
  if (graphs) a.graphs = graphs;
  return a;
}

