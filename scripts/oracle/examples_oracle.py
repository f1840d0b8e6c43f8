#!/usr/bin/python3
"""Generate test/oracle/examples/<name>.json: the networks of examples/ as PyTorch builds and runs them.

Run ONLY with Debian's interpreter, which has PyTorch 1.13 / torchvision 0.14:

    /usr/bin/python3 scripts/oracle/examples_oracle.py            # every example (~1 min)
    /usr/bin/python3 scripts/oracle/examples_oracle.py unet vae   # only these

The models are scripts/oracle/example_models.py (written for this purpose) and torchvision's r3d_18. Each is
built, put in eval() mode with manual_seed(0), and run once with batch size 1 under no_grad, with forward hooks
on every leaf module. The files have the fields of the torchvision oracle (scripts/oracle/README.md), so the
tests compare them with nncalc's reports the same way, plus:

  pytorch_lines   non-blank lines of the model's definition that are neither comments nor docstrings:
                  every class and function the model is built from (torchvision's own code for r3d_18)
  definition      the names of those classes and functions

Leaves are modules without children, and nn.MultiheadAttention and nn.TransformerEncoderLayer, which nncalc
counts as one layer each (their children are not listed; their parameters are in the leaf's).

MACs, from the shapes the hooks see (no FLOP counter):
  Conv*d              out.numel() * (in_channels / groups) * prod(kernel_size)
  ConvTranspose*d     in.numel() * (out_channels / groups) * prod(kernel_size)
  Linear              out.numel() * in_features
  RNN/LSTM/GRU        per layer and direction: L * N * G * H * (in_k + H), G = 1, 4, 3 gates
  MultiheadAttention  N * (4 * L * E^2 + 2 * L^2 * E) for self-attention
  TransformerEncoderLayer  its self-attention + 2 * N * L * E * dim_feedforward
  every other module  0
"""

import ast
import inspect
import json
import math
import os
import sys
import textwrap
import warnings

import torch
import torch.nn as nn
import torchvision
from torchvision.models.video import resnet as video

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import example_models as m  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT_DIR = os.path.join(ROOT, "test", "oracle", "examples")

# name → (builder, builder as text, input shape, input dtype, definitions counted)
MODELS = {
    "unet": (m.UNet, "UNet()", [1, 1, 572, 572], torch.float32, [m.DoubleConv, m.Down, m.Up, m.UNet]),
    "csp-backbone": (m.csp_backbone, "csp_backbone()", [1, 3, 640, 640], torch.float32, [m.Conv, m.Bottleneck, m.C3, m.SPPF, m.csp_backbone]),
    "bilstm-classifier": (m.TextClassifier, "TextClassifier()", [1, 200], torch.long, [m.TextClassifier]),
    "gru-encoder": (m.SpeechEncoder, "SpeechEncoder()", [200, 1, 80], torch.float32, [m.SpeechEncoder]),
    "r3d_18": (video.r3d_18, "torchvision.models.video.r3d_18(weights=None)", [1, 3, 16, 112, 112], torch.float32,
               [video.Conv3DSimple, video.BasicBlock, video.BasicStem, video.VideoResNet, video._video_resnet, video.r3d_18]),
    "vit-small": (m.ViT, "ViT()", [1, 3, 32, 32], torch.float32, [m.ViT]),
    "vae": (m.VAE, "VAE()", [1, 1, 28, 28], torch.float32, [m.VAE]),
}

LEAF_TYPES = (nn.MultiheadAttention, nn.TransformerEncoderLayer)


def code_lines(obj):
    """Non-blank lines of a definition that are neither comments nor docstrings."""
    src = textwrap.dedent(inspect.getsource(obj))
    docs = set()
    for node in ast.walk(ast.parse(src)):
        body = getattr(node, "body", None)
        if isinstance(node, (ast.ClassDef, ast.FunctionDef)) and body and isinstance(body[0], ast.Expr) \
                and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
            docs.update(range(body[0].lineno, body[0].end_lineno + 1))
    return sum(1 for i, line in enumerate(src.splitlines(), 1)
               if line.strip() and not line.strip().startswith("#") and i not in docs)


def leaves(model):
    out, skip = [], set()
    for name, mod in model.named_modules():
        if any(name.startswith(p + ".") for p in skip):
            continue
        if isinstance(mod, LEAF_TYPES):
            skip.add(name)
            out.append((name, mod))
        elif not list(mod.children()):
            out.append((name, mod))
    return out


def rnn_macs(mod, x):
    gates = {nn.RNN: 1, nn.LSTM: 4, nn.GRU: 3}[type(mod)]
    L, N = (x[1], x[0]) if mod.batch_first else (x[0], x[1])
    D = 2 if mod.bidirectional else 1
    H = mod.hidden_size
    return sum(D * L * N * gates * H * ((mod.input_size if k == 0 else D * H) + H) for k in range(mod.num_layers))


def mha_macs(mod, q):
    N, L = (q[0], q[1]) if mod.batch_first else (q[1], q[0])
    E = mod.embed_dim
    return N * (4 * L * E * E + 2 * L * L * E)


def macs(mod, inp, out):
    x = list(inp[0].shape)
    y = out[0] if isinstance(out, tuple) else out
    if isinstance(mod, (nn.Conv1d, nn.Conv2d, nn.Conv3d)):
        return y.numel() * (mod.in_channels // mod.groups) * math.prod(mod.kernel_size)
    if isinstance(mod, (nn.ConvTranspose1d, nn.ConvTranspose2d, nn.ConvTranspose3d)):
        return math.prod(x) * (mod.out_channels // mod.groups) * math.prod(mod.kernel_size)
    if isinstance(mod, nn.Linear):
        return y.numel() * mod.in_features
    if isinstance(mod, (nn.RNN, nn.LSTM, nn.GRU)):
        return rnn_macs(mod, x)
    if isinstance(mod, nn.MultiheadAttention):
        return mha_macs(mod, x)
    if isinstance(mod, nn.TransformerEncoderLayer):
        return mha_macs(mod.self_attn, x) + 2 * math.prod(x[:-1]) * mod.linear1.in_features * mod.linear1.out_features
    return 0


def run(name):
    build, builder, shape, dtype, definition = MODELS[name]
    torch.manual_seed(0)
    model = build().eval()
    found = leaves(model)
    records = {n: {"name": n, "type": type(mod).__name__,
                   "params": sum(p.numel() for p in mod.parameters(recurse=isinstance(mod, LEAF_TYPES))),
                   "buffers": sum(b.numel() for b in mod.buffers(recurse=isinstance(mod, LEAF_TYPES)) if b.is_floating_point()),
                   "output": None, "macs": None, "calls": 0} for n, mod in found}
    order = []

    def hook(n):
        def f(mod, inp, out):
            r = records[n]
            if r["calls"] == 0:
                y = out[0] if isinstance(out, tuple) else out
                r["output"] = list(y.shape)
                r["macs"] = 0
                order.append(n)
            r["calls"] += 1
            r["macs"] += macs(mod, inp, out)
        return f

    for n, mod in found:
        mod.register_forward_hook(hook(n))
    with torch.no_grad():
        x = torch.zeros(*shape, dtype=dtype)
        y = model(x)
    y0 = y[0] if isinstance(y, tuple) else y
    leaf_names = {n for n, _ in found}
    other = [{"name": pn, "shape": list(p.shape), "numel": p.numel()} for pn, p in model.named_parameters()
             if not any(pn.startswith(ln + ".") for ln in leaf_names if ln)]
    layers = [records[n] for n in order] + [r for n, r in records.items() if r["calls"] == 0]
    doc = {
        "model": name,
        "builder": builder,
        "torch": torch.__version__,
        "torchvision": torchvision.__version__,
        "input": shape,
        "params": sum(p.numel() for p in model.parameters()),
        "trainable": sum(p.numel() for p in model.parameters() if p.requires_grad),
        "buffers": sum(b.numel() for b in model.buffers() if b.is_floating_point()),
        "macs": sum(r["macs"] or 0 for r in layers),
        "output": list(y0.shape),
        "pytorch_lines": sum(code_lines(d) for d in definition),
        "definition": ["%s.%s" % (d.__module__, d.__qualname__) for d in definition],
        "other_params": other,
        "layers": layers,
    }
    os.makedirs(OUT_DIR, exist_ok=True)
    with open(os.path.join(OUT_DIR, name + ".json"), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print("%-18s params %12d  macs %15d  lines %3d" % (name, doc["params"], doc["macs"], doc["pytorch_lines"]))


def main():
    warnings.filterwarnings("ignore")
    torch.set_num_threads(2)
    for name in sys.argv[1:] or MODELS:
        run(name)


if __name__ == "__main__":
    main()
