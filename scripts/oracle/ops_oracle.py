#!/usr/bin/python3
"""Generate test/oracle/ops.json: single-layer reference cases for the nncalc op tests.

Run ONLY with Debian's interpreter, which has PyTorch 1.13:

    /usr/bin/python3 scripts/oracle/ops_oracle.py

Each case is written in nncalc's vocabulary (op kind and raw attributes: out, kernel, stride,
padding, dilation, groups, bias, ceil_mode, output, start_dim, end_dim, eps, affine,
track_running_stats, size, ...). `torch_module` turns that into the PyTorch module, passing
only the attributes the case names, so nncalc's defaults are checked against PyTorch's.
The module runs in eval mode, under no_grad, on a zero tensor of the case's input shape.

Recorded per case:
  op, attrs, input       the case, as nncalc reads it
  module                 repr() of the PyTorch module
  output                 PyTorch's output shape
  params                 sum of p.numel() over module.parameters()
  buffers                numel of floating-point buffers (BN running_mean/var; not the
                         integer num_batches_tracked)
  resolved               the module's settings with PyTorch's defaults filled in, in nncalc's
                         names, for comparison with nncalc's normalised attributes
  macs                   from the module config, no FLOP counter:
                           Conv*d: out.numel() * (in_channels // groups) * prod(kernel_size)
                           Linear: out.numel() * in_features
                           others: 0
or, when PyTorch rejects the case (at construction or in forward):
  error                  the first line of PyTorch's message
  stage                  'init' or 'forward'

PyTorch rejects padding='same' with stride > 1, so nncalc's TensorFlow-style 'same' for
strided windows has no case here; the tests derive those by hand.
"""

import json
import math
import os
import re
import warnings

import torch
import torch.nn as nn

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "test", "oracle", "ops.json")

ACTIVATIONS = {
    "relu": nn.ReLU, "relu6": nn.ReLU6, "leaky_relu": nn.LeakyReLU, "elu": nn.ELU,
    "gelu": nn.GELU, "silu": nn.SiLU, "sigmoid": nn.Sigmoid, "tanh": nn.Tanh,
    "hardswish": nn.Hardswish, "hardsigmoid": nn.Hardsigmoid, "softplus": nn.Softplus,
    "mish": nn.Mish,
}


def tup(v):
    return tuple(v) if isinstance(v, list) else v


def pick(attrs, mapping):
    """PyTorch kwargs for the nncalc attributes present in attrs."""
    return {torch_name: tup(attrs[name]) for name, torch_name in mapping.items() if name in attrs}


def torch_module(op, a, shape):
    m = re.fullmatch(r"(conv|maxpool|avgpool|adaptive_avgpool|adaptive_maxpool|batchnorm)([123])d", op)
    family, rank = (m.group(1), int(m.group(2))) if m else (op, 0)
    if family == "conv":
        cls = {1: nn.Conv1d, 2: nn.Conv2d, 3: nn.Conv3d}[rank]
        kw = pick(a, {"stride": "stride", "padding": "padding", "dilation": "dilation",
                      "groups": "groups", "bias": "bias"})
        return cls(shape[1], a["out"], tup(a["kernel"]), **kw)
    if family == "maxpool":
        cls = {1: nn.MaxPool1d, 2: nn.MaxPool2d, 3: nn.MaxPool3d}[rank]
        kw = pick(a, {"stride": "stride", "padding": "padding", "dilation": "dilation",
                      "ceil_mode": "ceil_mode"})
        return cls(tup(a["kernel"]), **kw)
    if family == "avgpool":
        cls = {1: nn.AvgPool1d, 2: nn.AvgPool2d, 3: nn.AvgPool3d}[rank]
        kw = pick(a, {"stride": "stride", "padding": "padding", "ceil_mode": "ceil_mode",
                      "count_include_pad": "count_include_pad"})
        return cls(tup(a["kernel"]), **kw)
    if family == "adaptive_avgpool":
        return {1: nn.AdaptiveAvgPool1d, 2: nn.AdaptiveAvgPool2d, 3: nn.AdaptiveAvgPool3d}[rank](tup(a["output"]))
    if family == "adaptive_maxpool":
        return {1: nn.AdaptiveMaxPool1d, 2: nn.AdaptiveMaxPool2d, 3: nn.AdaptiveMaxPool3d}[rank](tup(a["output"]))
    if family == "batchnorm":
        cls = {1: nn.BatchNorm1d, 2: nn.BatchNorm2d, 3: nn.BatchNorm3d}[rank]
        kw = pick(a, {"eps": "eps", "momentum": "momentum", "affine": "affine",
                      "track_running_stats": "track_running_stats"})
        return cls(shape[1] if len(shape) > 1 else shape[0], **kw)
    if op == "linear":
        return nn.Linear(a.get("in", shape[-1]), a["out"], **pick(a, {"bias": "bias"}))
    if op == "flatten":
        return nn.Flatten(**pick(a, {"start_dim": "start_dim", "end_dim": "end_dim"}))
    if op == "lrn":  # PyTorch requires size; nncalc defaults it to AlexNet's 5
        return nn.LocalResponseNorm(a.get("size", 5), **pick(a, {"alpha": "alpha", "beta": "beta", "k": "k"}))
    if op == "softmax":
        return nn.Softmax(**pick(a, {"dim": "dim"}))
    if op == "log_softmax":  # nncalc's default dim is the last, as for softmax
        return nn.LogSoftmax(a.get("dim", -1))
    if op == "exp":
        return Exp()
    if op == "dropout":
        return nn.Dropout(**pick(a, {"p": "p"}))
    if op == "identity":
        return nn.Identity()
    if op in ACTIVATIONS:
        return ACTIVATIONS[op](**a)
    raise KeyError(op)


class Exp(nn.Module):
    """torch.exp as a module: PyTorch has no nn.Exp."""

    def forward(self, x):
        return torch.exp(x)


def as_list(v, rank):
    return list(v) if isinstance(v, (tuple, list)) else [v] * rank


def resolved(module):
    """The module's settings after PyTorch filled its defaults, in nncalc's names and forms
    (per-axis lists; padding 'valid' as zeros), for the attributes that have a counterpart."""
    m = module
    if isinstance(m, (nn.Conv1d, nn.Conv2d, nn.Conv3d)):
        r = len(m.kernel_size)
        pad = m.padding if m.padding == "same" else [0] * r if m.padding == "valid" else as_list(m.padding, r)
        return {"out": m.out_channels, "kernel": list(m.kernel_size), "stride": as_list(m.stride, r),
                "padding": pad, "dilation": as_list(m.dilation, r), "groups": m.groups,
                "bias": m.bias is not None}
    pools = {nn.MaxPool1d: 1, nn.MaxPool2d: 2, nn.MaxPool3d: 3, nn.AvgPool1d: 1, nn.AvgPool2d: 2, nn.AvgPool3d: 3}
    if type(m) in pools:
        r = pools[type(m)]
        out = {"kernel": as_list(m.kernel_size, r), "stride": as_list(m.stride, r),
               "padding": as_list(m.padding, r), "ceil_mode": m.ceil_mode}
        if hasattr(m, "dilation"):
            out["dilation"] = as_list(m.dilation, r)
        return out
    adaptive = {nn.AdaptiveAvgPool1d: 1, nn.AdaptiveAvgPool2d: 2, nn.AdaptiveAvgPool3d: 3,
                nn.AdaptiveMaxPool1d: 1, nn.AdaptiveMaxPool2d: 2, nn.AdaptiveMaxPool3d: 3}
    if type(m) in adaptive:
        return {"output": as_list(m.output_size, adaptive[type(m)])}
    if isinstance(m, nn.Linear):
        return {"out": m.out_features, "bias": m.bias is not None}
    if isinstance(m, nn.modules.batchnorm._BatchNorm):
        return {"eps": m.eps, "momentum": m.momentum, "affine": m.affine, "track_running_stats": m.track_running_stats}
    if isinstance(m, nn.LocalResponseNorm):
        return {"size": m.size, "alpha": m.alpha, "beta": m.beta, "k": m.k}
    if isinstance(m, nn.Flatten):
        return {"start_dim": m.start_dim, "end_dim": m.end_dim}
    if isinstance(m, nn.Dropout):
        return {"p": m.p}
    if isinstance(m, nn.Softmax) and m.dim is not None:
        return {"dim": m.dim}
    return None


def expected_macs(module, out):
    if isinstance(module, (nn.Conv1d, nn.Conv2d, nn.Conv3d)):
        return out.numel() * (module.in_channels // module.groups) * math.prod(module.kernel_size)
    if isinstance(module, nn.Linear):
        return out.numel() * module.in_features
    return 0


def first_line(e):
    return " ".join(str(e).split("\n")[0].split())


def run(op, attrs, shape):
    case = {"op": op, "attrs": attrs, "input": shape}
    try:
        module = torch_module(op, attrs, shape)
    except Exception as e:  # noqa: BLE001 - every rejection is a recorded result
        return {**case, "error": first_line(e), "stage": "init"}
    module.eval()
    case["module"] = repr(module)
    try:
        with torch.no_grad():
            y = module(torch.zeros(*shape))
    except Exception as e:  # noqa: BLE001
        return {**case, "error": first_line(e), "stage": "forward"}
    return {
        **case,
        "output": list(y.shape),
        "params": sum(p.numel() for p in module.parameters()),
        "buffers": sum(b.numel() for b in module.buffers() if b.is_floating_point()),
        "macs": expected_macs(module, y),
        **({"resolved": resolved(module)} if resolved(module) is not None else {}),
    }


def img(c, h, w=None, n=1):
    return [n, c, h, h if w is None else w]


CASES = []


def case(op, attrs, shape):
    CASES.append((op, attrs, shape))


# --- convolutions -------------------------------------------------------------------
for bias in (True, False):
    case("conv2d", {"out": 64, "kernel": 3, "padding": 1, "bias": bias}, img(3, 224))
for a, s in [
    ({"out": 64, "kernel": 3, "stride": 2, "padding": 1}, img(32, 224)),
    ({"out": 64, "kernel": 7, "stride": 2, "padding": 3, "bias": False}, img(3, 224)),
    ({"out": 96, "kernel": 11, "stride": 4, "padding": 2}, img(3, 224)),
    ({"out": 96, "kernel": 11, "stride": 4}, img(3, 227)),
    ({"out": 256, "kernel": 1}, img(64, 56)),
    ({"out": 128, "kernel": 1, "stride": 2, "bias": False}, img(64, 56)),
    ({"out": 16, "kernel": 3, "padding": "same"}, img(8, 15)),
    ({"out": 16, "kernel": 4, "padding": "same"}, img(8, 15)),
    ({"out": 16, "kernel": 5, "padding": "same", "dilation": 2}, img(8, 15)),
    ({"out": 16, "kernel": [1, 7], "padding": "same"}, img(8, 9, 13)),
    ({"out": 16, "kernel": 3, "padding": "valid"}, img(8, 15)),
    ({"out": 16, "kernel": 3, "padding": 2, "dilation": 2}, img(8, 15)),
    ({"out": 16, "kernel": 3, "dilation": 3}, img(8, 15)),
    ({"out": 16, "kernel": 3, "stride": 2, "dilation": 2, "padding": 1}, img(8, 16)),
    ({"out": 32, "kernel": 3, "padding": 1, "groups": 2}, img(16, 28)),
    ({"out": 32, "kernel": 3, "padding": 1, "groups": 4, "bias": False}, img(64, 28)),
    ({"out": 32, "kernel": 3, "padding": 1, "groups": 32}, img(32, 28)),
    ({"out": 64, "kernel": 3, "stride": 2, "padding": 1, "groups": 32, "bias": False}, img(32, 28)),
    ({"out": 128, "kernel": 3, "padding": 1, "groups": 32}, img(128, 14)),
    ({"out": 12, "kernel": [1, 7], "padding": [0, 3]}, img(8, 17, 23)),
    ({"out": 12, "kernel": [7, 1], "padding": [3, 0], "bias": False}, img(8, 17, 23)),
    ({"out": 12, "kernel": [3, 5], "stride": [2, 1], "padding": [1, 2], "dilation": [1, 2]}, img(8, 17, 23)),
    ({"out": 10, "kernel": 5}, img(4, 5)),
    ({"out": 10, "kernel": 3, "stride": 3}, img(4, 10)),
    ({"out": 10, "kernel": 2, "stride": 2}, img(4, 7)),
    ({"out": 8, "kernel": 3, "padding": 1}, [2, 4, 6, 6]),
]:
    case("conv2d", a, s)
for a, s in [
    ({"out": 16, "kernel": 3, "padding": 1}, [1, 8, 100]),
    ({"out": 16, "kernel": 5, "stride": 2, "bias": False}, [1, 8, 100]),
    ({"out": 16, "kernel": 3, "dilation": 4, "padding": 4}, [1, 8, 50]),
    ({"out": 16, "kernel": 4, "padding": "same", "dilation": 3}, [1, 8, 50]),
    ({"out": 16, "kernel": 3, "padding": "valid"}, [1, 8, 50]),
    ({"out": 24, "kernel": 3, "groups": 8, "padding": 1}, [1, 8, 50]),
    ({"out": 8, "kernel": 7, "stride": 3}, [2, 8, 31]),
]:
    case("conv1d", a, s)
for a, s in [
    ({"out": 16, "kernel": 3, "padding": 1}, [1, 3, 8, 16, 16]),
    ({"out": 64, "kernel": [3, 7, 7], "stride": [1, 2, 2], "padding": [1, 3, 3], "bias": False}, [1, 3, 8, 32, 32]),
    ({"out": 16, "kernel": 3, "padding": "same", "dilation": [1, 2, 2]}, [1, 4, 5, 9, 9]),
    ({"out": 8, "kernel": 1, "groups": 4}, [1, 8, 4, 6, 6]),
    ({"out": 8, "kernel": [2, 3, 3], "stride": 2}, [1, 4, 5, 9, 11]),
]:
    case("conv3d", a, s)
# rejected by PyTorch
case("conv2d", {"out": 6, "kernel": 3, "groups": 2}, img(3, 8))  # c_in % groups
case("conv2d", {"out": 6, "kernel": 3, "groups": 4}, img(4, 8))  # out % groups
case("conv2d", {"out": 8, "kernel": 3, "groups": 8}, img(4, 8))  # more groups than channels
case("conv2d", {"out": 8, "kernel": 3}, img(3, 2))  # input smaller than kernel
case("conv2d", {"out": 8, "kernel": 3, "dilation": 3}, img(3, 6))  # dilated reach 7 > 6
case("conv2d", {"out": 8, "kernel": [1, 5]}, img(3, 8, 4))  # fits along H only
case("conv1d", {"out": 8, "kernel": 5}, [1, 3, 3])
case("conv3d", {"out": 8, "kernel": 3}, [1, 3, 2, 8, 8])
case("conv2d", {"out": 8, "kernel": 3}, [1, 10])  # no spatial dimensions
case("conv2d", {"out": 8, "kernel": -1}, img(3, 8))
case("conv2d", {"out": 8, "kernel": 3, "stride": 0}, img(3, 8))

# --- pooling --------------------------------------------------------------------------
for a, s in [
    ({"kernel": 2}, img(64, 224)),
    ({"kernel": 2, "stride": 2}, img(64, 7)),
    ({"kernel": 2, "stride": 2, "ceil_mode": True}, img(64, 7)),
    ({"kernel": 3, "stride": 2}, img(64, 112)),
    ({"kernel": 3, "stride": 2, "ceil_mode": True}, img(64, 112)),
    ({"kernel": 3, "stride": 2, "padding": 1}, img(64, 112)),
    ({"kernel": 3, "stride": 2}, img(96, 55)),
    ({"kernel": 3, "stride": 2, "ceil_mode": True}, img(96, 54)),
    ({"kernel": 3, "stride": 2}, img(96, 54)),
    ({"kernel": 3, "stride": 1, "padding": 1}, img(16, 28)),
    ({"kernel": 3, "stride": 1, "padding": 1, "ceil_mode": True}, img(16, 28)),
    ({"kernel": 3, "stride": 3, "padding": 1, "ceil_mode": True}, img(4, 5)),  # last window dropped
    ({"kernel": 2, "stride": 3, "ceil_mode": True}, img(4, 6)),  # last window dropped
    ({"kernel": 3, "stride": 2, "ceil_mode": True}, img(4, 2)),  # overhanging window
    ({"kernel": 3, "stride": 3, "ceil_mode": True}, img(4, 1)),
    ({"kernel": 3, "stride": 2, "dilation": 2}, img(4, 15)),
    ({"kernel": 3, "stride": 2, "dilation": 2, "padding": 1, "ceil_mode": True}, img(4, 16)),
    ({"kernel": 2, "stride": 2, "padding": 1, "dilation": 3}, img(4, 8)),
    ({"kernel": [3, 1], "stride": [2, 1]}, img(4, 9, 5)),
    ({"kernel": [2, 3], "stride": [2, 3], "padding": [1, 0], "ceil_mode": True}, img(4, 9, 10)),
    ({"kernel": 2}, [3, 4, 9, 9]),
]:
    case("maxpool2d", a, s)
for a, s in [
    ({"kernel": 2}, [1, 8, 101]),
    ({"kernel": 3, "stride": 2, "ceil_mode": True}, [1, 8, 100]),
    ({"kernel": 3, "stride": 3, "padding": 1, "ceil_mode": True}, [1, 8, 5]),
    ({"kernel": 4, "stride": 1, "dilation": 2, "padding": 2}, [1, 8, 20]),
]:
    case("maxpool1d", a, s)
for a, s in [
    ({"kernel": 2}, [1, 8, 8, 16, 16]),
    ({"kernel": [1, 3, 3], "stride": [1, 2, 2], "padding": [0, 1, 1]}, [1, 8, 4, 15, 15]),
    ({"kernel": 3, "stride": 2, "ceil_mode": True}, [1, 8, 6, 9, 10]),
    ({"kernel": 3, "stride": 2, "ceil_mode": True}, [1, 2, 2, 2, 2]),
]:
    case("maxpool3d", a, s)
for a, s in [
    ({"kernel": 2}, img(64, 224)),
    ({"kernel": 2, "stride": 2, "ceil_mode": True}, img(64, 7)),
    ({"kernel": 3, "stride": 1, "padding": 1}, img(16, 28)),
    ({"kernel": 3, "stride": 1, "padding": 1, "count_include_pad": False}, img(16, 28)),
    ({"kernel": 3, "stride": 2, "ceil_mode": True}, img(16, 2)),
    ({"kernel": 3, "stride": 3, "padding": 1, "ceil_mode": True}, img(4, 5)),
    ({"kernel": 5, "stride": 3}, img(512, 14)),
    ({"kernel": [2, 4], "stride": [1, 2], "padding": [1, 2]}, img(4, 9, 10)),
]:
    case("avgpool2d", a, s)
case("avgpool1d", {"kernel": 3, "stride": 2, "padding": 1, "ceil_mode": True}, [1, 8, 10])
case("avgpool1d", {"kernel": 4}, [1, 8, 10])
case("avgpool3d", {"kernel": 2}, [1, 8, 8, 16, 16])
case("avgpool3d", {"kernel": [3, 3, 3], "stride": 2, "padding": 1, "ceil_mode": True}, [1, 8, 5, 8, 9])
# rejected by PyTorch
case("maxpool2d", {"kernel": 3, "padding": 2}, img(4, 8))  # padding > kernel/2
case("maxpool2d", {"kernel": 3, "stride": 2, "padding": 2, "dilation": 2}, img(4, 8))
case("avgpool2d", {"kernel": 2, "padding": 2}, img(4, 8))
case("maxpool1d", {"kernel": 4, "padding": 3}, [1, 4, 20])
case("maxpool2d", {"kernel": 3}, img(4, 2))  # input smaller than the window
case("maxpool2d", {"kernel": 3, "stride": 2}, img(4, 2))  # the same without ceil_mode
case("maxpool2d", {"kernel": 3, "stride": 2, "ceil_mode": True}, img(4, 1))
case("maxpool2d", {"kernel": 3, "stride": 1, "dilation": 2}, img(4, 4))
case("avgpool2d", {"kernel": 4}, img(4, 3))
case("maxpool3d", {"kernel": 3}, [1, 4, 2, 8, 8])
case("avgpool3d", {"kernel": 3, "stride": 2, "ceil_mode": True}, [1, 2, 2, 2, 2])
case("maxpool2d", {"kernel": 2, "stride": 0}, img(4, 8))
case("maxpool2d", {"kernel": 2}, [1, 10])

for a, s in [
    ({"output": 1}, img(512, 7)),
    ({"output": 7}, img(512, 7)),
    ({"output": 7}, img(512, 14)),
    ({"output": 7}, img(512, 13)),
    ({"output": [3, 5]}, img(8, 10, 11)),
    ({"output": 7}, img(8, 5)),
    ({"output": [6, 6]}, [2, 256, 13, 13]),
]:
    case("adaptive_avgpool2d", a, s)
    case("adaptive_maxpool2d", a, s)
case("adaptive_avgpool1d", {"output": 4}, [1, 8, 10])
case("adaptive_avgpool3d", {"output": [1, 2, 3]}, [1, 8, 4, 5, 7])
case("adaptive_avgpool2d", {"output": 3}, [1, 10])
case("adaptive_maxpool1d", {"output": 4}, [1, 8, 10])
case("adaptive_maxpool1d", {"output": 3}, [2, 5, 7])
case("adaptive_maxpool3d", {"output": [1, 2, 3]}, [1, 8, 4, 5, 7])
case("adaptive_maxpool3d", {"output": 1}, [1, 512, 2, 7, 7])

# --- linear -------------------------------------------------------------------------
for a, s in [
    ({"out": 4096}, [1, 25088]),
    ({"out": 1000, "bias": False}, [1, 4096]),
    ({"out": 10, "in": 84}, [1, 84]),
    ({"out": 10}, [32, 84]),
    ({"out": 3072}, [1, 197, 768]),
    ({"out": 768, "bias": False}, [2, 50, 3072]),
    ({"out": 5, "in": 7}, [2, 3, 4, 7]),
]:
    case("linear", a, s)
case("linear", {"out": 5, "in": 20}, [1, 10])
case("linear", {"out": 4096, "in": 25088}, [1, 512, 7, 7])

# --- flatten, dropout, identity -------------------------------------------------------
for a, s in [
    ({}, [1, 512, 7, 7]),
    ({"start_dim": 0}, [2, 512, 7, 7]),
    ({"start_dim": 2}, [2, 8, 7, 7]),
    ({"start_dim": 1, "end_dim": 2}, [2, 8, 7, 5]),
    ({"start_dim": -3, "end_dim": -2}, [2, 8, 7, 5]),
    ({"start_dim": 2, "end_dim": 2}, [2, 8, 7, 5]),
    ({"start_dim": 0, "end_dim": -1}, [3, 4, 5]),
    ({}, [4, 10]),
]:
    case("flatten", a, s)
case("flatten", {"start_dim": 2, "end_dim": 1}, [1, 3, 4])
case("flatten", {"start_dim": 1, "end_dim": 5}, [1, 3, 4])
case("flatten", {"start_dim": 3}, [1, 3, 4])
case("flatten", {"start_dim": -4}, [1, 3, 4])
case("flatten", {"start_dim": 1.5}, [1, 3, 4])
case("dropout", {}, [1, 4096])
case("dropout", {"p": 0.2}, [2, 8, 5, 5])
case("identity", {}, [1, 3, 7])

# --- normalisation -------------------------------------------------------------------
for rank, shapes in [(1, [[4, 16], [2, 16, 10]]), (2, [[2, 32, 7, 7]]), (3, [[2, 8, 3, 5, 5]])]:
    for s in shapes:
        for affine in (True, False):
            for track in (True, False):
                case("batchnorm%dd" % rank, {"affine": affine, "track_running_stats": track}, s)
case("batchnorm2d", {}, [1, 64, 112, 112])
case("batchnorm2d", {"eps": 1e-3, "momentum": 0.01}, [1, 24, 56, 56])
case("batchnorm1d", {"eps": 1e-3}, [3, 100])
case("batchnorm1d", {}, [1, 4, 3, 3])
case("batchnorm1d", {}, [10])
case("batchnorm2d", {}, [1, 4, 3])
case("batchnorm2d", {}, [1, 4, 3, 3, 3])
case("batchnorm3d", {}, [1, 4, 3, 3])
case("lrn", {"size": 5, "alpha": 1e-4, "beta": 0.75, "k": 2}, img(96, 55))
case("lrn", {"size": 3}, [1, 8, 20])
case("lrn", {}, [1, 8, 3, 4, 5])
case("lrn", {}, [1, 10])

# --- softmax and activations ----------------------------------------------------------
case("softmax", {}, [1, 1000])
case("softmax", {"dim": 1}, [2, 10])
case("softmax", {"dim": 0}, [2, 10])
case("softmax", {"dim": 1}, [1, 21, 8, 8])
case("softmax", {"dim": -1}, [1, 12, 197, 197])
case("softmax", {"dim": 2}, [1, 10])
case("softmax", {"dim": -3}, [1, 10])
case("log_softmax", {}, [1, 1000])
case("log_softmax", {"dim": 1}, [2, 10])
case("log_softmax", {"dim": -1}, [50, 4, 29])
case("log_softmax", {"dim": 2}, [1, 10])
case("exp", {}, [1, 16])
case("exp", {}, img(3, 5))
for op in ACTIVATIONS:
    case(op, {}, img(16, 7))
case("relu", {"inplace": True}, [1, 4096])
case("relu6", {"inplace": True}, [2, 32, 10])
case("leaky_relu", {"negative_slope": 0.2}, [1, 64, 8, 8])
case("elu", {"alpha": 0.5}, [1, 64])
case("softplus", {"beta": 2, "threshold": 10}, [1, 64])
case("silu", {"inplace": True}, [1, 3, 4, 5, 6])


def main():
    warnings.filterwarnings("ignore")
    torch.manual_seed(0)
    cases = [run(op, attrs, shape) for op, attrs, shape in CASES]
    doc = {
        "torch": torch.__version__,
        "generator": "scripts/oracle/ops_oracle.py",
        "cases": cases,
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        f.write('{"torch": %s, "generator": %s, "cases": [\n' % (json.dumps(doc["torch"]), json.dumps(doc["generator"])))
        f.write(",\n".join(json.dumps(c, separators=(", ", ": ")) for c in cases))
        f.write("\n]}\n")
    errors = sum(1 for c in cases if "error" in c)
    print("%d cases (%d rejected by PyTorch) -> %s" % (len(cases), errors, os.path.relpath(OUT, ROOT)))


if __name__ == "__main__":
    main()
