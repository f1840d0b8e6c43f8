/**
 * @module
 * nncalc: parameters, output shapes, MACs and memory of neural networks, with the formula behind every number.
 *
 * @example
 * ```ts
 * import { summarize, render } from 'nncalc';
 * const report = summarize('vgg16');
 * report.totals.params;                                  // 138357544
 * summarize('224x224x3, conv3-64 x2, maxpool, FC-10');   // the paper's notation works too
 * console.log(render(report, 'table', { explain: true })); // every number with its formula
 * ```
 */
export { summarize, resolveSpec, parseShape, type SummarizeOptions } from './summarize.js';
export { parseNotation, implicitRules, type NotationOptions } from './describe/notation.js';
export { fromObject, parseSpecText, type LocMap } from './describe/from-object.js';
export { op, seq, block, type Spec, type LayerSpec, type OpSpec, type BlockSpec } from './describe/spec.js';
export { build } from './describe/build.js';
export { analyze, type AnalyzeOptions, type Report, type LayerReport, type Totals, type Convention, type FileInfo } from './analyze/index.js';
export { render, FORMATS, type RenderFormat, type RenderOptions } from './render/index.js';
export { explainReport, stages } from './render/explain.js';
export { explainLayer, explainAll } from './render/explain-layer.js';
export { collapse } from './analyze/collapse.js';
export { checkClaims, parseClaims, type CheckResult } from './check/index.js';
export { diffReports, type Diff } from './diff/index.js';
export { zoo, findModel, getModel, type ZooEntry } from './zoo/index.js';
export { fromHfConfig } from './zoo/hf/index.js';
export { ops, findOp } from './ops/index.js';
export { summarizeFile, summarizeModelFile } from './summarize-file.js';
export { readModel, sniffFormat, formats, type Format, type FormatId, type ModelFile, type ReadOptions, type TensorInfo } from './formats/index.js';
export { memorySource, rangeSource, Reader, type ByteSource, type ByteStats } from './io/bytes.js';
export { memoryFolder, type Folder } from './io/folder.js';
export { blobSource, blobFolder } from './io/blob.js';
export { httpSource, urlFolder, type HttpOptions } from './io/http.js';
export { hubFolder, parseHubRef, HF_ENDPOINT, type HubRef } from './io/hub.js';
export { GGML_TYPES, bitsPerWeight, type GgmlType } from './formats/ggml-types.js';
export { ModelError, formatError, errorJson, type ErrorCode } from './errors.js';
export type { Count } from './count.js';
export type { OpDef } from './ops/op.js';
export type { Graph, Node, Shape, Weight, Loc } from './types.js';
