"""Writes the large PyTorch and Keras files of `npm run bench` (scripts/bench/files.mjs) into a folder, once:

    /usr/bin/python3 scripts/bench/torch_keras_models.py <dir>

- vgg16.pth: torch.save of torchvision's vgg16 state_dict (138,357,544 float32 parameters, 528 MiB), zip format;
- vgg16_legacy.pth: the same with _use_new_zipfile_serialization=False;
- vgg16.h5: Keras Applications' VGG16 laid out as Keras's legacy .h5 (scripts/fixtures/keras_fixtures.py), with every
  weight written (zeros), so the file holds its 528 MiB of data.
Files already present are kept. Needs torch, torchvision and h5py (Debian's python3-torch, -torchvision, -h5py).
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'fixtures'))

import torch  # noqa: E402
import torchvision  # noqa: E402
from keras_fixtures import keras2_config, net_layers, vgg16, write_h5  # noqa: E402

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
state = None
for name, legacy in [('vgg16.pth', False), ('vgg16_legacy.pth', True)]:
    path = os.path.join(out, name)
    if not os.path.exists(path):
        state = state or torchvision.models.vgg16(weights=None).state_dict()
        torch.save(state, path + '.tmp', _use_new_zipfile_serialization=not legacy)
        os.replace(path + '.tmp', path)
if not os.path.exists(os.path.join(out, 'vgg16.h5')):
    n = vgg16()
    write_h5('vgg16.h5.tmp', keras2_config(n), net_layers(n), out=out, data=True)
    os.replace(os.path.join(out, 'vgg16.h5.tmp'), os.path.join(out, 'vgg16.h5'))
for f in ['vgg16.pth', 'vgg16_legacy.pth', 'vgg16.h5']:
    print(f, os.path.getsize(os.path.join(out, f)))
