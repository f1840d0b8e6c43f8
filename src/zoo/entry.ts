import type { LayerSpec, Spec } from '../describe/spec.js';

/** One built-in model. */
export interface ZooEntry {
  /** The name users type: 'vgg16', 'alexnet-paper'. Lower-case. */
  readonly name: string;
  /** A one-line description shown by `nncalc list`. */
  readonly title: string;
  /** Where the architecture is defined: a paper and section, or a library's builder. */
  readonly source: string;
  /** The parameter count the source publishes, when it publishes one; tests compare against it. */
  readonly published?: number;
  /** Builds the Spec (lazily, so listing the zoo stays cheap). */
  readonly spec: () => Spec;
}

/** The entry of a model torchvision builds under the same name, `torchvision.models.<name>`. */
export const torchvisionEntry = (name: string, title: string, spec: () => Spec, published?: number): ZooEntry => ({
  name,
  title,
  source: `torchvision.models.${name}`,
  ...(published === undefined ? {} : { published }),
  spec,
});

/** What `torchvision.models.<name>(weights=None)` of torchvision 0.14 builds, on one RGB image `side` pixels square. */
export const torchvisionSpec = (name: string, layers: readonly LayerSpec[], extra: { side?: number; notes?: readonly string[] } = {}): Spec => ({
  name,
  input: [1, 3, extra.side ?? 224, extra.side ?? 224],
  source: `torchvision.models.${name}(weights=None), torchvision 0.14`,
  layers,
  ...(extra.notes === undefined ? {} : { notes: extra.notes }),
});
