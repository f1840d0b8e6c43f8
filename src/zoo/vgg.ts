/**
 * @module
 * VGG (Simonyan & Zisserman, "Very Deep Convolutional Networks for Large-Scale Image Recognition", ICLR 2015).
 * Configurations A–E are written in the notation of the paper's Table 1, column by column. The torchvision
 * models (vgg11 … vgg19, *_bn) use the same columns as `features`, then torchvision's AdaptiveAvgPool2d(7)
 * and a classifier with dropout, under torchvision's module names.
 */
import { parseNotation } from '../describe/notation.js';
import { op, seq, type Spec } from '../describe/spec.js';
import { torchvisionEntry, torchvisionSpec, type ZooEntry } from './entry.js';

/** The convolutional part of each column of Table 1, in the paper's words. */
export const vggColumns = {
  A: 'conv3-64, maxpool, conv3-128, maxpool, conv3-256, conv3-256, maxpool, conv3-512, conv3-512, maxpool, conv3-512, conv3-512, maxpool',
  'A-LRN': 'conv3-64, LRN, maxpool, conv3-128, maxpool, conv3-256, conv3-256, maxpool, conv3-512, conv3-512, maxpool, conv3-512, conv3-512, maxpool',
  B: 'conv3-64, conv3-64, maxpool, conv3-128, conv3-128, maxpool, conv3-256, conv3-256, maxpool, conv3-512, conv3-512, maxpool, conv3-512, conv3-512, maxpool',
  C: 'conv3-64, conv3-64, maxpool, conv3-128, conv3-128, maxpool, conv3-256, conv3-256, conv1-256, maxpool, conv3-512, conv3-512, conv1-512, maxpool, conv3-512, conv3-512, conv1-512, maxpool',
  D: 'conv3-64, conv3-64, maxpool, conv3-128, conv3-128, maxpool, conv3-256, conv3-256, conv3-256, maxpool, conv3-512, conv3-512, conv3-512, maxpool, conv3-512, conv3-512, conv3-512, maxpool',
  E: 'conv3-64, conv3-64, maxpool, conv3-128, conv3-128, maxpool, conv3-256, conv3-256, conv3-256, conv3-256, maxpool, conv3-512, conv3-512, conv3-512, conv3-512, maxpool, conv3-512, conv3-512, conv3-512, conv3-512, maxpool',
} as const;

type Column = keyof typeof vggColumns;

const paper = 'Simonyan & Zisserman 2015, Table 1';

/** A column of Table 1 as the paper writes it: input, convolutions, three FC layers, soft-max. */
function paperVgg(column: Column): Spec {
  const text = `input (224 × 224 RGB image)\n${vggColumns[column].replace(/, maxpool, /g, ', maxpool\n')}\nFC-4096, FC-4096, FC-1000, soft-max`;
  return { ...parseNotation(text, { name: `vgg-${column.toLowerCase()}` }), source: `${paper}, column ${column}` };
}

/** torchvision.models.vgg*: features (the column, optionally with BatchNorm), avgpool, classifier. */
function torchvisionVgg(name: string, column: Column, batchnorm: boolean): Spec {
  const features = parseNotation(vggColumns[column], { batchnorm });
  const layers = [
    seq('features', features.layers),
    op('adaptive_avgpool2d', { output: 7 }, { name: 'avgpool' }),
    op('flatten', {}, { name: 'flatten' }),
    seq('classifier', [
      op('linear', { out: 4096 }),
      op('relu'),
      op('dropout', { p: 0.5 }),
      op('linear', { out: 4096 }),
      op('relu'),
      op('dropout', { p: 0.5 }),
      op('linear', { out: 1000 }),
    ]),
  ];
  return torchvisionSpec(name, layers, { notes: features.notes ?? [] });
}

const paperEntry = (column: Column, layers: number, published: number | undefined, extra = ''): ZooEntry => ({
  name: `vgg-${column.toLowerCase()}`,
  title: `VGG configuration ${column} (${layers} weight layers${extra}), in the paper's notation`,
  source: `${paper}, column ${column}`,
  ...(published ? { published } : {}),
  spec: () => paperVgg(column),
});

const tvEntry = (depth: number, column: Column, bn: boolean): ZooEntry => {
  const name = `vgg${depth}${bn ? '_bn' : ''}`;
  return torchvisionEntry(name, `VGG-${depth}${bn ? ' with batch norm' : ''} as torchvision builds it (configuration ${column})`, () => torchvisionVgg(name, column, bn));
};

export const vgg: readonly ZooEntry[] = [
  // Table 2 of the paper gives 133, 133, 133, 134, 138 and 144 million parameters.
  paperEntry('A', 11, undefined),
  paperEntry('A-LRN', 11, undefined, ', with LRN'),
  paperEntry('B', 13, undefined),
  paperEntry('C', 16, undefined, ', three of them 1×1'),
  paperEntry('D', 16, 138357544),
  paperEntry('E', 19, undefined),
  tvEntry(11, 'A', false),
  tvEntry(13, 'B', false),
  tvEntry(16, 'D', false),
  tvEntry(19, 'E', false),
  tvEntry(11, 'A', true),
  tvEntry(13, 'B', true),
  tvEntry(16, 'D', true),
  tvEntry(19, 'E', true),
];
