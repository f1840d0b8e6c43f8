/**
 * @module
 * What a built-in model declares: its name, description, source, family and published count, and how to build
 * its Spec; and the helpers torchvision's entries share.
 */
import type { Convention } from '../analyze/report.js';
import { isOp, isParallel, type LayerSpec, type OpSpec, type Spec } from '../describe/spec.js';

/** The families `nncalc list` groups the zoo by, in its order. */
export const FAMILIES = ['torchvision', 'keras', 'hf', 'papers'] as const;
export type Family = (typeof FAMILIES)[number];

/** How `nncalc list` heads each family. */
export const FAMILY_TITLES: Readonly<Record<Family, string>> = {
  torchvision: 'torchvision 0.14',
  keras: 'Keras Applications',
  hf: 'Hugging Face transformers',
  papers: 'Classic papers',
};

/** One built-in model. */
export interface ZooEntry {
  /**
   * The name users type: 'vgg16', 'alexnet-paper', lower-case; Keras Applications keep Keras's spelling after
   * their prefix ('keras:ResNet50'). Names are matched without case.
   */
  readonly name: string;
  /** A one-line description shown by `nncalc list`. */
  readonly title: string;
  /** Where the architecture is defined: a paper and section, or a library's builder. */
  readonly source: string;
  /** The parameter count the source publishes, when it publishes one; tests compare against it. */
  readonly published?: number;
  /** Builds the Spec (lazily, so listing the zoo stays cheap). */
  readonly spec: () => Spec;
  /** The family `nncalc list` shows it under; when absent, read from `source` (see familyOf). */
  readonly family?: Family;
  /** The convention the model is shown in unless --convention says otherwise: Keras's models use 'keras'. */
  readonly convention?: Convention;
}

/**
 * The entry's family: its own, else the one its source names: `torchvision.…` is torchvision,
 * `keras.applications.…` Keras, `huggingface.co/…` Hugging Face, and anything else a paper.
 */
export function familyOf(entry: ZooEntry): Family {
  if (entry.family) return entry.family;
  const s = entry.source;
  return s.startsWith('torchvision.') ? 'torchvision' : s.startsWith('keras.applications.') ? 'keras' : s.startsWith('huggingface.co/') ? 'hf' : 'papers';
}

/** The entry of a model torchvision builds under the same name, `torchvision.models.<name>`. */
export const torchvisionEntry = (name: string, title: string, spec: () => Spec, published?: number): ZooEntry => ({
  name,
  title,
  source: `torchvision.models.${name}`,
  ...(published === undefined ? {} : { published }),
  spec: () => inPlace(spec()),
});

/** The activations torchvision builds with inplace=True (nn.ReLU(inplace=True), Conv2dNormActivation's default). */
const IN_PLACE = new Set(['relu', 'relu6', 'hardswish', 'silu']);

/**
 * torchvision runs its ReLU, ReLU6, Hardswish and SiLU modules in place, so their outputs take no new memory; the
 * few it builds without (SqueezeExcitation's, the segmentation heads', the box head's functional ReLUs) say
 * `inplace: false` in their family's file. Counts do not change; the memory figures do.
 */
function inPlace(spec: Spec): Spec {
  const mark = (l: LayerSpec): LayerSpec => {
    if (isOp(l)) return IN_PLACE.has(l.op) && l.attrs?.['inplace'] === undefined ? ({ ...l, attrs: { ...l.attrs, inplace: true } } satisfies OpSpec) : l;
    if (isParallel(l)) return { ...l, parallel: l.parallel.map(mark) };
    return { ...l, layers: l.layers.map(mark) };
  };
  return { ...spec, layers: spec.layers.map(mark) };
}

/** What `torchvision.models.<name>(weights=None)` of torchvision 0.14 builds, on one RGB image `side` pixels square. */
export const torchvisionSpec = (name: string, layers: readonly LayerSpec[], extra: { side?: number; notes?: readonly string[] } = {}): Spec => ({
  name,
  input: [1, 3, extra.side ?? 224, extra.side ?? 224],
  source: `torchvision.models.${name}(weights=None), torchvision 0.14`,
  layers,
  ...(extra.notes === undefined ? {} : { notes: extra.notes }),
});
