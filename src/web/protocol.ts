/**
 * @module
 * The messages between the page and its analysis worker, and the views the worker sends: plain, structured-
 * cloneable data with every number already formatted, so the page itself carries none of the engine.
 */
import type { Section } from '../render/document.js';

/** The settings of an analysis, as the page's fields hold them (text is parsed in the worker). */
export interface Options {
  /** H×W×C, a batch-first list or a feature count; '' keeps the model's own. */
  readonly input: string;
  readonly batch: string;
  readonly seq: string;
  /** '' is the model's own convention. */
  readonly convention: '' | 'pytorch' | 'keras';
  /** The notation's implicit rules. */
  readonly relu: boolean;
  readonly padding: boolean;
  readonly flatten: boolean;
  /** Modules deeper than this start collapsed (0: every row open), and the copied table is collapsed to it. */
  readonly depth: number;
  /** The formula column. */
  readonly formula: boolean;
  /** The receptive-field column. */
  readonly rf: boolean;
}

export const DEFAULT_OPTIONS: Options = { input: '', batch: '', seq: '', convention: '', relu: true, padding: true, flatten: true, depth: 0, formula: true, rf: false };

/**
 * What is analysed: text typed or pasted into the editor, or dropped files (never put in a link): one file (a spec, a
 * config.json, a model file), or several read as a model folder (config.json beside safetensors shards and their index).
 */
export type Source = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'file'; readonly files: readonly File[] };

/** The second side of a diff: another model (empty: the same one) and the settings that differ. */
export interface DiffSettings {
  readonly model: string;
  readonly input: string;
  readonly batch: string;
  readonly seq: string;
  readonly convention: '' | 'pytorch' | 'keras';
  /** Every row, not only those that differ. */
  readonly all: boolean;
}

export type Request =
  | { readonly id: number; readonly kind: 'analyse'; readonly source: Source; readonly options: Options }
  | { readonly id: number; readonly kind: 'check'; readonly source: Source; readonly options: Options; readonly claims: string }
  | { readonly id: number; readonly kind: 'diff'; readonly source: Source; readonly options: Options; readonly other: DiffSettings };

/** Which field of the page an error is about. */
export type Field = 'model' | 'input' | 'batch' | 'seq' | 'claims' | 'other' | 'vs-input' | 'vs-batch' | 'vs-seq' | 'url';

/** A did-you-mean as an edit of the text the error points into. */
export interface Fix {
  readonly offset: number;
  readonly length: number;
  readonly replacement: string;
}

/** A ModelError (or a failure the engine did not expect) as the page shows it. */
export interface ErrorView {
  readonly code: string;
  readonly message: string;
  readonly details: readonly string[];
  readonly field: Field;
  /** True when `at` is in the editor's text (so it is underlined there). */
  readonly inEditor: boolean;
  /** Where in the analysed text (the editor's or a dropped file's), 1-based, with the span to underline. */
  readonly at?: { readonly line: number; readonly column: number; readonly offset: number; readonly length: number };
  readonly path?: string;
  readonly layer?: string;
  /** The whole message as the command line prints it (with its code frame). */
  readonly text: string;
  readonly fix?: Fix;
}

/** One row of the layer table: a layer, or a module summing the rows inside it. */
export interface RowView {
  readonly key: string;
  /** The module row this one sits in, if any. */
  readonly parent?: string;
  /** 0 at the top level. */
  readonly level: number;
  readonly module: boolean;
  readonly name: string;
  readonly type: string;
  readonly label: string;
  readonly shape: string;
  readonly params: string;
  readonly macs: string;
  readonly flops: string;
  readonly formula: string;
  readonly rf: string;
  readonly note?: string;
  /** Added by a rule (the notation's implicit ReLU), not written by the user. */
  readonly implicit: boolean;
  /** Approximate values for the charts (NaN when unknown). */
  readonly p: number;
  readonly m: number;
  /** Layers summed, for a module row. */
  readonly layers?: number;
}

/** A bar of a chart: a name, approximate values for drawing and the exact text. */
export interface Bar {
  readonly label: string;
  readonly detail: string;
  readonly p: number;
  readonly m: number;
  readonly pText: string;
  readonly mText: string;
}

/** One box of a sequential CNN's block diagram. */
export type Block =
  | { readonly kind: 'maps'; readonly c: number; readonly h: number; readonly w: number; readonly label: string; readonly shape: string }
  | { readonly kind: 'vector'; readonly n: number; readonly label: string; readonly shape: string };

/** The layers a graph is drawn from, when the model branches. */
export interface GraphLayer {
  readonly name: string;
  readonly scope: readonly string[];
  readonly inputs: readonly string[];
  readonly type: string;
  readonly shape: string;
}

/** A whole analysis as the page shows it. */
export interface ReportView {
  readonly name: string;
  readonly source?: string;
  /** 'Input [1, 3, 224, 224] · output [1, 1000] · PyTorch convention'. */
  readonly line: string;
  /** From a dropped file: its name. */
  readonly file?: string;
  readonly summary: readonly (readonly [string, string, string])[];
  readonly diagnostics: readonly string[];
  readonly rows: readonly RowView[];
  /** Deepest module level, for the depth selector. */
  readonly maxDepth: number;
  readonly markdown: string;
  readonly csv: string;
  readonly sections: readonly Section[];
  /** The layers with parameters or MACs (the largest, when there are many), and how many there are in all. */
  readonly byLayer: readonly Bar[];
  readonly byLayerOf: number;
  /** By stage (VGG's conv3-64 ×2 …), or by top-level module when a model has many stages. */
  readonly groups: { readonly title: 'stage' | 'module'; readonly bars: readonly Bar[] };
  /** Height × width × channels after each layer that changes the spatial size, from the input on. */
  readonly chain: readonly { readonly h: number; readonly w: number; readonly c: number; readonly layer: string }[];
  /** A plain sequential CNN's boxes. */
  readonly blocks?: readonly Block[];
  /** A branched model's layers. */
  readonly graph?: { readonly layers: readonly GraphLayer[]; readonly modules: Readonly<Record<string, string>> };
  /** Worker time of the analysis, ms. */
  readonly ms: number;
}

/** One claim judged. */
export interface ClaimView {
  readonly text: string;
  readonly where: string;
  readonly verdict: 'exact' | 'rounded' | 'wrong' | 'unknown';
  readonly notes: readonly string[];
  readonly targets: readonly { readonly head: string; readonly verdict: string; readonly diagnoses: readonly string[]; readonly truth: string }[];
}

export interface CheckView {
  readonly model: string;
  readonly claims: readonly ClaimView[];
  readonly context: readonly string[];
  readonly summary: string;
}

export interface DiffView {
  readonly a: string;
  readonly b: string;
  readonly alignment: string;
  readonly totals: readonly (readonly string[])[];
  readonly why: readonly string[];
  readonly header: readonly string[];
  readonly rows: readonly { readonly status: string; readonly cells: readonly string[] }[];
  readonly hidden: number;
}

export type Result =
  | { readonly kind: 'analyse'; readonly view: ReportView }
  | { readonly kind: 'check'; readonly view: CheckView }
  | { readonly kind: 'diff'; readonly view: DiffView };

export type Response =
  | { readonly id: number; readonly ok: true; readonly result: Result }
  | { readonly id: number; readonly ok: false; readonly error: ErrorView };

/** A built-in model, for the picker. */
export interface ZooItem {
  readonly name: string;
  readonly title: string;
  readonly family: string;
}

/** The worker's first message. */
export interface Ready {
  readonly ready: true;
  readonly zoo: readonly ZooItem[];
  readonly families: Readonly<Record<string, string>>;
}
