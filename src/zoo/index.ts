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
import { kerasModels } from './keras/index.js';
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

export { FAMILIES, FAMILY_TITLES, familyOf, type Family, type ZooEntry } from './entry.js';

/** Every built-in model, in the order `nncalc list` shows them. */
export const zoo: readonly ZooEntry[] = [...lenet, ...alexnet, ...vgg, ...resnets, ...squeezenets, ...densenets, ...inceptions, ...efficientnets, ...regnets, ...mobilenets, ...mnasnets, ...shufflenets, ...vits, ...swins, ...convnexts, ...segmentations, ...videos, ...mvits, ...rcnns, ...oneStages, ...ssds, ...kerasModels, ...hfModels];

/** Names compared without case, '-', '_' or '.': 'VGG-16', 'LeNet5', 'alexnet_paper' all match. */
const loose = (name: string): string => name.toLowerCase().replace(/[-_.\s]/g, '');

/** The entries a name matches: the one of that name in any case, else those it spells loosely (maybe several). */
function matches(name: string): readonly ZooEntry[] {
  if (name.length > 100) return []; // a long text is notation, not a model name
  const n = name.toLowerCase();
  const exact = zoo.find((e) => e.name.toLowerCase() === n);
  if (exact) return [exact];
  const l = loose(n);
  return zoo.filter((e) => loose(e.name) === l);
}

/**
 * The zoo entry with this name, in any case (or a loose spelling of it), or undefined. A loose spelling of two names
 * finds neither: 'regnet-x-32gf' could be regnet_x_32gf or regnet_x_3_2gf.
 */
export function findModel(name: string): ZooEntry | undefined {
  const found = matches(name);
  return found.length === 1 ? found[0] : undefined;
}

/** The zoo entry with this name, or a ModelError with a did-you-mean (or the names a loose spelling could mean). */
export function getModel(name: string): ZooEntry {
  const entry = findModel(name);
  const several = entry ? [] : matches(name);
  if (several.length > 1) {
    throw new ModelError('input', `'${name}' could be any of ${several.map((e) => e.name).join(', ')}; write the name exactly.`);
  }
  if (!entry) {
    const shown = name.length > 60 ? `${name.slice(0, 60)}…` : name;
    throw new ModelError('input', `unknown model '${shown}'.${didYouMean(name, zoo.map((e) => e.name))} Run 'nncalc list' to see the built-in models.`);
  }
  return entry;
}
