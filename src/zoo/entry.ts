import type { Spec } from '../spec/spec.js';

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
