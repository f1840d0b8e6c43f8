"""Writes the ONNX files `npm run bench` measures, on demand (none is committed):

    /usr/bin/python3 scripts/bench/onnx_models.py DIR

- DIR/vgg16.onnx: torchvision vgg16 (weights=None) from torch.onnx.export, weights embedded (≈ 528 MiB).
- DIR/chain50k.onnx: 50,000 nodes written with onnx.helper: 10,000 residual blocks (Conv 3×3, Relu, Conv 3×3,
  Add, Relu) named like a torch export; weights are declared as external data (never written: nncalc reads
  only their lengths, and onnx.load(load_external_data=False) does not need them either).
Each is written once and reused.
"""
import os
import sys

import onnx
from onnx import TensorProto, helper


def vgg16(path):
    import torch
    import torchvision
    m = torchvision.models.vgg16(weights=None).eval()
    torch.onnx.export(m, torch.randn(1, 3, 224, 224), path, opset_version=13, input_names=['input'])


def external(name, dims):
    t = TensorProto(name=name, data_type=TensorProto.FLOAT, dims=dims)
    t.data_location = TensorProto.EXTERNAL
    size = 4
    for d in dims:
        size *= d
    for k, v in (('location', 'chain50k.onnx.data'), ('offset', '0'), ('length', str(size))):
        e = t.external_data.add()
        e.key, e.value = k, v
    return t


def chain(path, blocks=10_000, c=32):
    nodes, inits = [], []
    x = 'input'
    for i in range(blocks):
        p = f'/layers/layers.{i}'
        for j in (1, 2):
            inits += [external(f'layers.{i}.conv{j}.weight', [c, c, 3, 3]), external(f'layers.{i}.conv{j}.bias', [c])]
        nodes += [
            helper.make_node('Conv', [x, f'layers.{i}.conv1.weight', f'layers.{i}.conv1.bias'], [f'{p}/c1'], name=f'{p}/conv1/Conv', pads=[1, 1, 1, 1]),
            helper.make_node('Relu', [f'{p}/c1'], [f'{p}/r1'], name=f'{p}/relu/Relu'),
            helper.make_node('Conv', [f'{p}/r1', f'layers.{i}.conv2.weight', f'layers.{i}.conv2.bias'], [f'{p}/c2'], name=f'{p}/conv2/Conv', pads=[1, 1, 1, 1]),
            helper.make_node('Add', [f'{p}/c2', x], [f'{p}/a'], name=f'{p}/Add'),
            helper.make_node('Relu', [f'{p}/a'], [f'{p}/out'], name=f'{p}/relu_1/Relu'),
        ]
        x = f'{p}/out'
    graph = helper.make_graph(nodes, 'chain50k', [helper.make_tensor_value_info('input', TensorProto.FLOAT, [1, c, 16, 16])],
                              [helper.make_tensor_value_info(x, TensorProto.FLOAT, [1, c, 16, 16])], inits)
    onnx.save_model(helper.make_model(graph, producer_name='onnx.helper', opset_imports=[helper.make_opsetid('', 13)]), path)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, make in (('vgg16', vgg16), ('chain50k', chain)):
        path = os.path.join(out, f'{name}.onnx')
        if not os.path.exists(path):
            make(path + '.tmp')
            os.replace(path + '.tmp', path)
        print(path, os.path.getsize(path))


if __name__ == '__main__':
    main()
