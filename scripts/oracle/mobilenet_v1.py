#!/usr/bin/python3
"""MobileNet v1 (Howard et al. 2017, Table 1, width 1.0, 224x224) as a PyTorch module, for checking
nncalc's mobilenet_v1 by hand. torchvision has no v1, so this is built here in nncalc's module names and
with nncalc's choices: bias-free convs each followed by BN and ReLU, the 13th depthwise conv at stride 1
(Table 1's 7x7 input and output), an adaptive average pool, FC-1000 and a softmax.

Run with Debian's interpreter, which has PyTorch 1.13:

    /usr/bin/python3 scripts/oracle/mobilenet_v1.py

It prints the totals; nothing is written.
"""

import torch
import torch.nn as nn

# Table 1: pointwise output channels and depthwise stride of the 13 depthwise-separable blocks.
BLOCKS = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2)] + [(512, 1)] * 5 + [(1024, 2), (1024, 1)]


def separable(c_in, c_out, stride):
    return nn.Sequential(
        nn.Conv2d(c_in, c_in, 3, stride, 1, groups=c_in, bias=False), nn.BatchNorm2d(c_in), nn.ReLU(inplace=True),
        nn.Conv2d(c_in, c_out, 1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(inplace=True),
    )


class MobileNetV1(nn.Module):
    def __init__(self):
        super().__init__()
        layers = [nn.Sequential(nn.Conv2d(3, 32, 3, 2, 1, bias=False), nn.BatchNorm2d(32), nn.ReLU(inplace=True))]
        c = 32
        for out, stride in BLOCKS:
            layers.append(separable(c, out, stride))
            c = out
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Linear(1024, 1000)
        self.softmax = nn.Softmax(dim=1)

    def forward(self, x):
        x = self.avgpool(self.features(x))
        return self.softmax(self.classifier(torch.flatten(x, 1)))


def main():
    model = MobileNetV1().eval()
    macs = {'conv1x1': 0, 'dw3x3': 0, 'conv3x3': 0, 'fc': 0}

    def hook(module, inputs, output):
        if isinstance(module, nn.Linear):
            macs['fc'] += output.numel() * module.in_features
        else:
            kind = 'conv1x1' if module.kernel_size == (1, 1) else 'dw3x3' if module.groups > 1 else 'conv3x3'
            macs[kind] += output.numel() * (module.in_channels // module.groups) * module.kernel_size[0] * module.kernel_size[1]

    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            m.register_forward_hook(hook)
    with torch.no_grad():
        out = model(torch.zeros(1, 3, 224, 224))

    params = sum(p.numel() for p in model.parameters())
    buffers = sum(b.numel() for b in model.buffers() if b.is_floating_point())
    # The paper's Table 2 counts only the weight tensors of convs and FC (no BN, no biases).
    weights = {'conv1x1': 0, 'dw3x3': 0, 'conv3x3': 0, 'fc': 0}
    for m in model.modules():
        if isinstance(m, nn.Linear):
            weights['fc'] += m.weight.numel()
        elif isinstance(m, nn.Conv2d):
            kind = 'conv1x1' if m.kernel_size == (1, 1) else 'dw3x3' if m.groups > 1 else 'conv3x3'
            weights[kind] += m.weight.numel()
    print(f'output {list(out.shape)}')
    print(f'params {params}  buffers {buffers}  macs {sum(macs.values())}')
    print(f'macs by kind {macs}')
    print(f'weights by kind {weights} (total {sum(weights.values())})')


if __name__ == '__main__':
    main()
