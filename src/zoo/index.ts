/**
 * @module
 * The built-in models. Each family lives in its own file and is written in nncalc's own languages
 * (the paper notation or a Spec), with its source named.
 */
import { ModelError } from '../errors.js';
import { didYouMean } from '../suggest.js';
import type { ZooEntry } from './entry.js';
import { alexnet } from './alexnet.js';
import { convnexts } from './convnext.js';
import { densenets } from './densenet.js';
import { efficientnets } from './efficientnet.js';
import { hfModels } from './hf/index.js';
import { inceptions } from './inception.js';
import { lenet } from './lenet.js';
import { mnasnets } from './mnasnet.js';
import { mobilenets } from './mobilenet.js';
import { regnets } from './regnet.js';
import { segmentations } from './segmentation.js';
import { videos } from './video.js';
import { mvits } from './mvit.js';
import { rcnns } from './rcnn.js';
import { ssds } from './ssd.js';
import { oneStages } from './one-stage.js';
import { resnets } from './resnet.js';
import { shufflenets } from './shufflenet.js';
import { squeezenets } from './squeezenet.js';
import { swins } from './swin.js';
import { vgg } from './vgg.js';
import { vits } from './vit.js';

export type { ZooEntry } from './entry.js';

/** Every built-in model, in the order `nncalc list` shows them. */
export const zoo: readonly ZooEntry[] = [...lenet, ...alexnet, ...vgg, ...resnets, ...squeezenets, ...densenets, ...inceptions, ...efficientnets, ...regnets, ...mobilenets, ...mnasnets, ...shufflenets, ...vits, ...swins, ...convnexts, ...segmentations, ...videos, ...mvits, ...rcnns, ...oneStages, ...ssds, ...hfModels];

/** Names compared without case, '-', '_' or '.': 'VGG-16', 'LeNet5', 'alexnet_paper' all match. */
const loose = (name: string): string => name.toLowerCase().replace(/[-_.\s]/g, '');

/** The zoo entry with this name (or a loose spelling of it), or undefined. */
export function findModel(name: string): ZooEntry | undefined {
  const n = name.toLowerCase();
  return zoo.find((e) => e.name === n) ?? zoo.find((e) => loose(e.name) === loose(n));
}

/** The zoo entry with this name, or a ModelError with a did-you-mean. */
export function getModel(name: string): ZooEntry {
  const entry = findModel(name);
  if (!entry) {
    throw new ModelError('input', `unknown model '${name}'.${didYouMean(name, zoo.map((e) => e.name))} Run 'nncalc list' to see the built-in models.`);
  }
  return entry;
}
