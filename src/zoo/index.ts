/**
 * @module
 * The built-in models. Each family lives in its own file and is written in nncalc's own languages
 * (the paper notation or a Spec), with its source named.
 */
import { ModelError } from '../errors.js';
import { didYouMean } from '../suggest.js';
import type { ZooEntry } from './entry.js';
import { vgg } from './vgg.js';

export type { ZooEntry } from './entry.js';

/** Every built-in model, in the order `nncalc list` shows them. */
export const zoo: readonly ZooEntry[] = [...vgg];

/** Other spellings users type: 'vgg-16', 'VGG16'. */
const normalise = (name: string): string => name.toLowerCase().replace(/^vgg-(\d\d)/, 'vgg$1');

/** The zoo entry with this name, or undefined. */
export function findModel(name: string): ZooEntry | undefined {
  const n = normalise(name);
  return zoo.find((e) => e.name === n);
}

/** The zoo entry with this name, or a ModelError with a did-you-mean. */
export function getModel(name: string): ZooEntry {
  const entry = findModel(name);
  if (!entry) {
    throw new ModelError('input', `unknown model '${name}'.${didYouMean(name, zoo.map((e) => e.name))} Run 'nncalc list' to see the built-in models.`);
  }
  return entry;
}
