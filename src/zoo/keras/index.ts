/**
 * @module
 * Keras Applications (keras.applications), one family per file, in the order of keras.io's table.
 */
import type { ZooEntry } from '../entry.js';
import { kerasConvnexts } from './convnext.js';
import { kerasDensenets } from './densenet.js';
import { kerasEfficientnets } from './efficientnet.js';
import { kerasInceptions } from './inception.js';
import { kerasMobilenets } from './mobilenet.js';
import { kerasNasnets } from './nasnet.js';
import { kerasResnets } from './resnet.js';
import { kerasVggs } from './vgg.js';
import { kerasXceptions } from './xception.js';

export const kerasModels: readonly ZooEntry[] = [...kerasXceptions, ...kerasVggs, ...kerasResnets, ...kerasInceptions, ...kerasMobilenets, ...kerasDensenets, ...kerasNasnets, ...kerasEfficientnets, ...kerasConvnexts];
