/**
 * @module
 * AlexNet, in three forms.
 *
 * `alexnet-paper` is the network of Krizhevsky, Sutskever & Hinton, "ImageNet Classification with Deep
 * Convolutional Neural Networks", NIPS 2012, laid out as Caffe's bvlc_alexnet deploy.prototxt writes it, under
 * Caffe's layer names. Two things in it come from the two GPUs it was trained on:
 * - groups: each GPU held half of every layer's kernels, and conv2, conv4 and conv5 see only the maps on their
 *   own GPU, so they are convolutions with 2 groups (half the input channels per kernel); conv3 and the FC layers
 *   see both halves. 60,965,224 parameters.
 * - LRN: local response normalisation after the ReLUs of conv1 and conv2, before their max pooling
 *   (bvlc_alexnet's order; CaffeNet pools first). It has no parameters.
 * The input is 227×227, not the paper's 224×224: with an 11×11 kernel at stride 4 and no padding, 224 gives
 * (224 − 11)/4 + 1 = 54.25 positions, while 227 gives exactly the paper's 55, so Caffe uses 227.
 *
 * `alexnet-ungrouped` keeps those widths on a single tower (groups 1): conv2, conv4 and conv5 see all their
 * input channels, which adds 1,413,120 parameters (62,378,344).
 *
 * `alexnet` is torchvision.models.alexnet, which follows Krizhevsky's later "One weird trick for parallelizing
 * convolutional neural networks" (2014) instead: 64, 192, 384, 256, 256 filters, no groups, no LRN, conv1
 * padded by 2 so a 224×224 input gives ⌊(224 + 2·2 − 11)/4⌋ + 1 = 55, an AdaptiveAvgPool2d(6) before the
 * classifier, and dropout before (not after) the first two FC layers. 61,100,840 parameters.
 */
import { op, seq, type Spec } from '../describe/spec.js';
import { torchvisionEntry, torchvisionSpec, type ZooEntry } from './entry.js';

const paper = 'Krizhevsky, Sutskever & Hinton, "ImageNet Classification with Deep Convolutional Neural Networks", NIPS 2012';
const caffe = "Caffe's models/bvlc_alexnet/deploy.prototxt";

/** bvlc_alexnet's LRN: local_size 5, alpha 0.0001, beta 0.75, and Caffe's default k = 1 (the paper has k = 2). */
const lrn = { size: 5, alpha: 1e-4, beta: 0.75, k: 1 };

/** The 2012 network in Caffe's layout; groups 2 is the paper's two-GPU split, groups 1 a single tower. */
function caffeAlexnet(name: string, groups: 1 | 2): Spec {
  const g = groups === 2 ? { groups: 2 } : {};
  return {
    name,
    input: [1, 3, 227, 227],
    source: groups === 2 ? `${paper}, as in ${caffe}` : `${paper}, as in ${caffe} without groups`,
    layers: [
      op('conv2d', { out: 96, kernel: 11, stride: 4 }, { name: 'conv1' }),
      op('relu', {}, { name: 'relu1' }),
      op('lrn', lrn, { name: 'norm1' }),
      op('maxpool2d', { kernel: 3, stride: 2 }, { name: 'pool1' }),
      op('conv2d', { out: 256, kernel: 5, padding: 2, ...g }, { name: 'conv2' }),
      op('relu', {}, { name: 'relu2' }),
      op('lrn', lrn, { name: 'norm2' }),
      op('maxpool2d', { kernel: 3, stride: 2 }, { name: 'pool2' }),
      op('conv2d', { out: 384, kernel: 3, padding: 1 }, { name: 'conv3' }),
      op('relu', {}, { name: 'relu3' }),
      op('conv2d', { out: 384, kernel: 3, padding: 1, ...g }, { name: 'conv4' }),
      op('relu', {}, { name: 'relu4' }),
      op('conv2d', { out: 256, kernel: 3, padding: 1, ...g }, { name: 'conv5' }),
      op('relu', {}, { name: 'relu5' }),
      op('maxpool2d', { kernel: 3, stride: 2 }, { name: 'pool5' }),
      // Caffe's InnerProduct flattens its input itself; nncalc's linear needs it done first.
      op('flatten', {}, { name: 'flatten', implicit: true }),
      op('linear', { out: 4096 }, { name: 'fc6' }),
      op('relu', {}, { name: 'relu6' }),
      op('dropout', { p: 0.5 }, { name: 'drop6' }),
      op('linear', { out: 4096 }, { name: 'fc7' }),
      op('relu', {}, { name: 'relu7' }),
      op('dropout', { p: 0.5 }, { name: 'drop7' }),
      op('linear', { out: 1000 }, { name: 'fc8' }),
      op('softmax', {}, { name: 'prob' }),
    ],
    notes: [
      'input 227×227, so that conv1 (11×11, stride 4, no padding) gives the paper\'s 55×55',
      groups === 2
        ? 'conv2, conv4 and conv5 have 2 groups: each GPU\'s kernels see only the maps on that GPU'
        : 'no groups: conv2, conv4 and conv5 see all their input channels, unlike the two-GPU original',
      'LRN follows the ReLU of conv1 and conv2; it has no parameters',
    ],
  };
}

function torchvisionAlexnet(): Spec {
  return torchvisionSpec('alexnet', [
    seq('features', [
      op('conv2d', { out: 64, kernel: 11, stride: 4, padding: 2 }),
      op('relu'),
      op('maxpool2d', { kernel: 3, stride: 2 }),
      op('conv2d', { out: 192, kernel: 5, padding: 2 }),
      op('relu'),
      op('maxpool2d', { kernel: 3, stride: 2 }),
      op('conv2d', { out: 384, kernel: 3, padding: 1 }),
      op('relu'),
      op('conv2d', { out: 256, kernel: 3, padding: 1 }),
      op('relu'),
      op('conv2d', { out: 256, kernel: 3, padding: 1 }),
      op('relu'),
      op('maxpool2d', { kernel: 3, stride: 2 }),
    ]),
    op('adaptive_avgpool2d', { output: 6 }, { name: 'avgpool' }),
    op('flatten', {}, { name: 'flatten' }),
    seq('classifier', [
      op('dropout', { p: 0.5 }),
      op('linear', { out: 4096 }),
      op('relu'),
      op('dropout', { p: 0.5 }),
      op('linear', { out: 4096 }),
      op('relu'),
      op('linear', { out: 1000 }),
    ]),
  ]);
}

export const alexnet: readonly ZooEntry[] = [
  torchvisionEntry(
    'alexnet',
    "AlexNet as torchvision builds it (the 2014 'one weird trick' widths, 224×224, no groups or LRN)",
    torchvisionAlexnet,
    // AlexNet_Weights.IMAGENET1K_V1.meta['num_params'].
    61100840,
  ),
  {
    name: 'alexnet-paper',
    title: 'AlexNet as the 2012 paper trains it on two GPUs (Caffe bvlc_alexnet: 227×227, groups 2, LRN)',
    source: `${paper}; ${caffe}`,
    spec: () => caffeAlexnet('alexnet-paper', 2),
  },
  {
    name: 'alexnet-ungrouped',
    title: 'The 2012 AlexNet on a single tower: the paper\'s widths without the two-GPU groups',
    source: `${paper}; ${caffe}, with groups removed`,
    spec: () => caffeAlexnet('alexnet-ungrouped', 1),
  },
];
