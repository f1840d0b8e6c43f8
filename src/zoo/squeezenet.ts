/**
 * @module
 * SqueezeNet (Iandola et al., "SqueezeNet: AlexNet-level accuracy with 50x fewer parameters and <0.5MB model size",
 * 2016) as torchvision 0.14 builds it, under its module names.
 *
 * A Fire module squeezes with 1×1 convs, then expands with parallel 1×1 and 3×3 convs whose outputs are concatenated.
 * squeezenet1_0 is the paper's Table 1 network (7×7/2 stem with 96 filters, max pools after fire4 and fire8);
 * squeezenet1_1 is the later v1.1 from the authors' repository (3×3/2 stem with 64 filters, pools moved earlier),
 * with the same accuracy at about 2.4× fewer MACs. torchvision's max pools use ceil_mode, and its classifier is
 * dropout (p = 0.5, the identity at inference), a 1×1 conv to the classes, ReLU and global average pooling,
 * followed by a functional flatten. Neither version has the paper's bypass connections.
 */
import { op, parallel, seq, type LayerSpec, type OpSpec, type Spec } from '../describe/spec.js';
import { torchvisionEntry, torchvisionSpec, type ZooEntry } from './entry.js';

const conv = (name: string, out: number, kernel: number, stride = 1, padding = 0): OpSpec =>
  op('conv2d', { out, kernel, stride, padding }, { name });
const relu = (name: string): OpSpec => op('relu', {}, { name });
const maxpool = (): OpSpec => op('maxpool2d', { kernel: 3, stride: 2, ceil_mode: true });

/** Fire(squeeze s, expand e1 (1×1) and e3 (3×3)): output channels e1 + e3. */
function fire(s: number, e1: number, e3: number): LayerSpec {
  return {
    layers: [
      conv('squeeze', s, 1),
      relu('squeeze_activation'),
      parallel(
        [
          [conv('expand1x1', e1, 1), relu('expand1x1_activation')],
          [conv('expand3x3', e3, 3, 1, 1), relu('expand3x3_activation')],
        ],
        op('concat', { dim: 1 }, { name: 'cat' }),
      ),
    ],
  };
}

const features: Record<'1_0' | '1_1', () => LayerSpec[]> = {
  '1_0': () => [
    conv('0', 96, 7, 2), relu('1'), maxpool(),
    fire(16, 64, 64), fire(16, 64, 64), fire(32, 128, 128), maxpool(),
    fire(32, 128, 128), fire(48, 192, 192), fire(48, 192, 192), fire(64, 256, 256), maxpool(),
    fire(64, 256, 256),
  ],
  '1_1': () => [
    conv('0', 64, 3, 2), relu('1'), maxpool(),
    fire(16, 64, 64), fire(16, 64, 64), maxpool(),
    fire(32, 128, 128), fire(32, 128, 128), maxpool(),
    fire(48, 192, 192), fire(48, 192, 192), fire(64, 256, 256), fire(64, 256, 256),
  ],
};

function squeezenet(version: '1_0' | '1_1'): Spec {
  const name = `squeezenet${version}`;
  return torchvisionSpec(name, [
    seq('features', features[version]()),
    seq('classifier', [op('dropout', { p: 0.5 }), conv('1', 1000, 1), op('relu'), op('adaptive_avgpool2d', { output: 1 })]),
    op('flatten', {}, { name: 'flatten' }),
  ]);
}

export const squeezenets: readonly ZooEntry[] = [
  torchvisionEntry('squeezenet1_0', 'SqueezeNet 1.0: eight Fire modules (squeeze 1×1, expand 1×1 ‖ 3×3, concatenated)', () => squeezenet('1_0'), 1_248_424),
  torchvisionEntry('squeezenet1_1', 'SqueezeNet 1.1: 3×3 stem and earlier pooling, 2.4× fewer MACs than 1.0', () => squeezenet('1_1'), 1_235_496),
];
