/**
 * @module
 * The names people use for the layers of a plain convolutional stack (VGG and its kin), which differ from
 * torchvision's module paths:
 *
 *   Caffe's and the VGG paper's    conv1_1 … conv5_3, pool1 … pool5, fc6, fc7, fc8 (FC numbering continues
 *                                  after the conv blocks)
 *   Keras Applications'            block1_conv1 … block5_conv3, block1_pool …, fc1, fc2, predictions
 *
 * A block is a run of convolutions closed by a pooling layer. Only a sequential stack gets these names: a
 * network with branches has no such numbering.
 */
import type { LayerReport, Report } from '../analyze/report.js';

/** Common name → layer, for a plain stack; empty for other networks. Names are lower case. */
export function commonNames(report: Report): Map<string, LayerReport> {
  const out = new Map<string, LayerReport>();
  const layers = report.layers;
  if (layers.some((l) => l.inputs.length > 1)) return out;
  let block = 1;
  let conv = 0;
  let blocks = 0;
  const fcs: LayerReport[] = [];
  for (const l of layers) {
    if (/^conv[123]d$/.test(l.op)) {
      if (fcs.length) return new Map();
      conv++;
      out.set(`conv${block}_${conv}`, l);
      out.set(`block${block}_conv${conv}`, l);
    } else if (/^(max|avg)pool[123]d$/.test(l.op) && conv > 0) {
      out.set(`pool${block}`, l);
      out.set(`block${block}_pool`, l);
      blocks = block;
      block++;
      conv = 0;
    } else if (l.op === 'linear') fcs.push(l);
  }
  if (blocks < 2 || conv > 0) return new Map();
  fcs.forEach((l, i) => {
    out.set(`fc${blocks + 1 + i}`, l);
    const keras = i === fcs.length - 1 ? 'predictions' : `fc${i + 1}`;
    if (!out.has(keras)) out.set(keras, l);
  });
  return out;
}
