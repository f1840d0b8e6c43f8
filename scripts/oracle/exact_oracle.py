#!/usr/bin/env python3
"""Exact totals of models too large for 64-bit floats, computed with Python's arbitrary-precision integers
from each architecture's own definition (not from nncalc), for test/exact.test.ts.

Run: /usr/bin/python3 scripts/oracle/exact_oracle.py > test/oracle/exact.json
"""
import json


def fc_chain(features, widths):
    """Params and MACs of fully connected layers with biases, batch 1."""
    params = macs = 0
    for out in widths:
        params += features * out + out
        macs += features * out
        features = out
    return params, macs


def vgg16_macs(h, w, batch):
    """torchvision vgg16: 3x3 convs with padding 1, 2x2 max pools, adaptive avgpool to 7x7, three FC layers."""
    cfg = [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512, 'M']
    c, macs = 3, 0
    for v in cfg:
        if v == 'M':
            h, w = h // 2, w // 2
        else:
            macs += 9 * c * v * h * w
            c = v
    _, fc = fc_chain(512 * 7 * 7, [4096, 4096, 1000])
    return batch * (macs + fc)


def llama_macs(layers, d, heads, kv_heads, inter, vocab, seq, batch):
    """Llama decoder MACs at a sequence length: every projection once per token, plus QK^T and AV per head."""
    head = d // heads
    per_token = layers * (d * d + 2 * d * kv_heads * head + d * d + 3 * d * inter) + d * vocab
    attention = layers * 2 * heads * seq * seq * head
    return batch * (per_token * seq + attention)


def llama_params(layers, d, heads, kv_heads, inter, vocab):
    head = d // heads
    per_layer = 2 * d + d * d + 2 * d * kv_heads * head + d * d + 3 * d * inter
    return vocab * d + layers * per_layer + d + d * vocab


wide = 999_999_999
fc_params, fc_macs = fc_chain(224 * 224 * 3, [wide, wide])
cases = {
    'fc-999999999': {
        'notation': '224x224x3, FC-999999999, FC-999999999',
        'params': str(fc_params),
        'macs': str(fc_macs),
    },
    'vgg16-20000': {
        'model': 'vgg16', 'input': '20000x20000x3', 'batch': 512,
        'params': str(138_357_544),
        'macs': str(vgg16_macs(20000, 20000, 512)),
    },
    'llama-2-70b-long': {
        'model': 'llama-2-70b', 'seq': 1_000_000, 'batch': 100_000,
        'params': str(llama_params(80, 8192, 64, 8, 28672, 32000)),
        'macs': str(llama_macs(80, 8192, 64, 8, 28672, 32000, 1_000_000, 100_000)),
    },
}
print(json.dumps(cases, indent=2))
