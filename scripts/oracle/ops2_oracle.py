#!/usr/bin/python3
"""Generate test/oracle/ops2.json: single-layer reference cases for nncalc's sequence, shape,
normalisation and transposed-convolution ops.

Run ONLY with Debian's interpreter, which has PyTorch 1.13:

    /usr/bin/python3 scripts/oracle/ops2_oracle.py

Each case is written in nncalc's vocabulary (op kind and raw attributes); `build` turns it into
the PyTorch module or function that does the same thing, passing only the attributes the case
names, so nncalc's defaults are checked against PyTorch's. The cases at the end are written in
PyTorch's own vocabulary instead: `op` is a class of torch.nn and `attrs` its keyword arguments,
passed unchanged, which checks that nncalc reads PyTorch's keywords as PyTorch does. It runs in eval mode, under no_grad,
on zero tensors of the case's input shapes (int64 ids for embedding).

Recorded per case:
  op, attrs, inputs      the case, as nncalc reads it (a list of input shapes)
  outputs                PyTorch's output shapes (every tensor the call returns, in order:
                         an RNN's output, h_n and c_n; each piece of a split)
  params                 sum of p.numel() over module.parameters()
  buffers                numel of floating-point buffers (running statistics)
  weights                [name, shape] of every parameter and floating-point buffer
  macs                   multiply-accumulates from the module's configuration (no FLOP counter):
                           ConvTranspose*d: in.numel() * (out_channels // groups) * prod(kernel)
                           depthwise: out.numel() * prod(kernel)  (one input channel per output)
                           separable: depthwise as above + out.numel() * (c_in * multiplier)
                           RNN/LSTM/GRU, per layer and direction, G gates, H hidden, P proj:
                             L * N * (G*H*in_k + G*H*H_out) (+ L * N * H * P with proj_size)
                             where in_0 = input_size, in_k = D * H_out and H_out = P or H
                           MultiheadAttention, per batch element, query length L, key length S:
                             L*E*E + S*kdim*E + S*vdim*E + L*E*E + 2 * L*S*E
                           TransformerEncoderLayer: self-attention + 2 * N*L*E*F (the two linears)
                           TransformerDecoderLayer: self- and cross-attention + 2 * N*L*E*F
                           everything else: 0
or, when PyTorch rejects the case (at construction or in the call):
  error                  the first line of PyTorch's message
  stage                  'init' or 'forward'
"""

import json
import math
import os
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "test", "oracle", "ops2.json")


def tup(v):
    return tuple(v) if isinstance(v, list) else v


def pick(a, names):
    """PyTorch kwargs for the nncalc attributes present in a: {nncalc name: torch name}."""
    return {t: tup(a[n]) for n, t in names.items() if n in a}


class Fn(nn.Module):
    """A parameterless call, so functional ops run through the same path as modules."""

    def __init__(self, f):
        super().__init__()
        self.f = f

    def forward(self, *xs):
        return self.f(*xs)


def rnn_macs(m, x_shape):
    gates = {nn.RNN: 1, nn.LSTM: 4, nn.GRU: 3}[type(m)]
    if len(x_shape) == 2:
        L, N = x_shape[0], 1
    elif m.batch_first:
        N, L = x_shape[0], x_shape[1]
    else:
        L, N = x_shape[0], x_shape[1]
    D = 2 if m.bidirectional else 1
    H = m.hidden_size
    P = getattr(m, "proj_size", 0)
    H_out = P or H
    total = 0
    for k in range(m.num_layers):
        inp = m.input_size if k == 0 else D * H_out
        per = L * N * (gates * H * inp + gates * H * H_out) + (L * N * H * P if P else 0)
        total += D * per
    return total


def mha_macs(m, q_shape, kv_shape):
    N, L, S = q_shape[0], q_shape[1], kv_shape[1]
    E = m.embed_dim
    return N * (L * E * E + S * m.kdim * E + S * m.vdim * E + L * E * E + 2 * L * S * E)


def build(op, a, shapes):
    """The module for a case, and a function of (module, input shapes, outputs) giving its MACs."""
    x = shapes[0]
    zero = lambda *_: 0  # noqa: E731
    if op == "layernorm":
        return nn.LayerNorm(tuple(x[-a.get("dims", 1):]), **pick(a, {"eps": "eps", "elementwise_affine": "elementwise_affine"})), zero
    if op == "groupnorm":
        return nn.GroupNorm(a["groups"], x[1], **pick(a, {"eps": "eps", "affine": "affine"})), zero
    if op.startswith("instancenorm"):
        cls = {"instancenorm1d": nn.InstanceNorm1d, "instancenorm2d": nn.InstanceNorm2d, "instancenorm3d": nn.InstanceNorm3d}[op]
        return cls(x[1], **pick(a, {"eps": "eps", "affine": "affine", "track_running_stats": "track_running_stats"})), zero
    if op == "embedding":
        return nn.Embedding(a["num_embeddings"], a["embedding_dim"], **pick(a, {"padding_idx": "padding_idx"})), zero
    if op == "prelu":
        return nn.PReLU(**pick(a, {"num_parameters": "num_parameters"})), zero
    if op.startswith("conv_transpose"):
        cls = {"conv_transpose1d": nn.ConvTranspose1d, "conv_transpose2d": nn.ConvTranspose2d, "conv_transpose3d": nn.ConvTranspose3d}[op]
        kw = pick(a, {"stride": "stride", "padding": "padding", "output_padding": "output_padding",
                      "dilation": "dilation", "groups": "groups", "bias": "bias"})
        m = cls(x[1], a["out"], tup(a["kernel"]), **kw)
        return m, lambda m, s, y: math.prod(s[0]) * (m.out_channels // m.groups) * math.prod(m.kernel_size)
    if op == "depthwise_conv2d":
        mult = a.get("depth_multiplier", 1)
        kw = pick(a, {"stride": "stride", "padding": "padding", "dilation": "dilation", "bias": "bias"})
        m = nn.Conv2d(x[1], x[1] * mult, tup(a["kernel"]), groups=x[1], **kw)
        return m, lambda m, s, y: y[0].numel() * math.prod(m.kernel_size)
    if op == "separable_conv2d":
        mult = a.get("depth_multiplier", 1)
        kw = pick(a, {"stride": "stride", "padding": "padding", "dilation": "dilation"})
        dw = nn.Conv2d(x[1], x[1] * mult, tup(a["kernel"]), groups=x[1], bias=False, **kw)
        pw = nn.Conv2d(x[1] * mult, a["out"], 1, **pick(a, {"bias": "bias"}))
        m = nn.Sequential(dw, pw)
        return m, lambda m, s, y: y[0].numel() // a["out"] * x[1] * mult * (math.prod(dw.kernel_size) + a["out"])
    if op in ("rnn", "lstm", "gru"):
        cls = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[op]
        kw = pick(a, {"num_layers": "num_layers", "bias": "bias", "batch_first": "batch_first",
                      "bidirectional": "bidirectional", "nonlinearity": "nonlinearity", "proj_size": "proj_size",
                      "dropout": "dropout"})
        m = cls(a.get("input_size", x[-1]), a["hidden_size"], **kw)
        return m, lambda m, s, y: rnn_macs(m, s[0])
    if op == "attention":
        assert a.get("packed"), "only PyTorch's packed MultiheadAttention has a module"
        kv = shapes[1] if len(shapes) > 1 else x
        kw = {"bias": a.get("bias", True)}
        if kv[-1] != x[-1]:
            kw.update(kdim=kv[-1], vdim=kv[-1])
        m = nn.MultiheadAttention(x[-1], a["num_heads"], batch_first=True, **kw)
        # An all-zero mask keeps torch 1.13 off its inference fast path, which fails without biases.
        mask = lambda q, kv: torch.zeros(q.shape[1], kv.shape[1])  # noqa: E731
        call = Fn(lambda *xs: m(xs[0], xs[-1], xs[-1], need_weights=False, attn_mask=mask(xs[0], xs[-1]))[0])
        call.m = m
        return call, lambda c, s, y: mha_macs(c.m, s[0], s[-1])
    if op in ("transformer_encoder_layer", "transformer_decoder_layer"):
        cls = nn.TransformerEncoderLayer if op == "transformer_encoder_layer" else nn.TransformerDecoderLayer
        kw = pick(a, {"dim_feedforward": "dim_feedforward", "norm_first": "norm_first", "activation": "activation",
                      "layer_norm_eps": "layer_norm_eps"})
        m = cls(x[-1], a["nhead"], batch_first=True, **kw)

        def macs(m, s, y):
            ffn = 2 * math.prod(s[0][:-1]) * m.linear1.in_features * m.linear1.out_features
            attn = mha_macs(m.self_attn, s[0], s[0])
            if op == "transformer_decoder_layer":
                attn += mha_macs(m.multihead_attn, s[0], s[1])
            return ffn + attn
        return m, macs
    # Functional shape ops.
    if op == "reshape":
        return Fn(lambda t: t.reshape(a["shape"])), zero
    if op == "permute":
        return Fn(lambda t: t.permute(*a["dims"])), zero
    if op == "transpose":
        return Fn(lambda t: t.transpose(a["dim0"], a["dim1"])), zero
    if op == "squeeze":
        return Fn(lambda t: t.squeeze(a["dim"]) if "dim" in a else t.squeeze()), zero
    if op == "unsqueeze":
        return Fn(lambda t: t.unsqueeze(a["dim"])), zero
    if op == "split":
        dim = a.get("dim", 1)
        if "chunks" in a:
            return Fn(lambda t: torch.chunk(t, a["chunks"], dim)), zero
        return Fn(lambda t: torch.split(t, a["sizes"] if "sizes" in a else a["split_size"], dim)), zero
    if op == "pad":
        return Fn(lambda t: F.pad(t, a["pad"], a.get("mode", "constant"), a.get("value", 0.0))), zero
    if op == "upsample":
        return nn.Upsample(**pick(a, {"size": "size", "scale_factor": "scale_factor", "mode": "mode",
                                      "align_corners": "align_corners"})), zero
    if op == "pixel_shuffle":
        return nn.PixelShuffle(a["upscale_factor"]), zero
    if op == "pixel_unshuffle":
        return nn.PixelUnshuffle(a["downscale_factor"]), zero
    if op == "unflatten":
        return nn.Unflatten(a["dim"], tuple(a["sizes"])), zero
    if op[0].isupper():
        return torch_class(op, a, shapes)
    raise KeyError(op)


def torch_class(name, a, shapes):
    """A torch.nn class called with the case's attributes as its keyword arguments, unchanged."""
    m = getattr(nn, name)(**{k: tup(v) for k, v in a.items()})
    if name == "MultiheadAttention":
        seq = 1 if m.batch_first else 0  # the sequence dimension
        first = lambda t: t if m.batch_first else [t[1], t[0], t[2]]  # noqa: E731
        # An all-zero mask keeps torch 1.13 off its inference fast path, as above.
        mask = lambda q, kv: torch.zeros(q.shape[seq], kv.shape[seq])  # noqa: E731
        call = Fn(lambda *xs: m(xs[0], xs[-1], xs[-1], need_weights=False, attn_mask=mask(xs[0], xs[-1]))[0])
        call.m = m
        return call, lambda c, s, y: mha_macs(c.m, first(s[0]), first(s[-1]))
    if name.startswith("Conv") and "Transpose" not in name:
        return m, lambda m, s, y: y[0].numel() * (m.in_channels // m.groups) * math.prod(m.kernel_size)
    if name.startswith("ConvTranspose"):
        return m, lambda m, s, y: math.prod(s[0]) * (m.out_channels // m.groups) * math.prod(m.kernel_size)
    if name == "Linear":
        return m, lambda m, s, y: y[0].numel() * m.in_features
    if name in ("RNN", "LSTM", "GRU"):
        return m, lambda m, s, y: rnn_macs(m, s[0])
    if name == "TransformerEncoderLayer":
        def macs(m, s, y):
            seq = s[0] if m.self_attn.batch_first else [s[0][1], s[0][0], s[0][2]]
            return 2 * math.prod(s[0][:-1]) * m.linear1.in_features * m.linear1.out_features + mha_macs(m.self_attn, seq, seq)
        return m, macs
    return m, lambda *_: 0


def first_line(e):
    return " ".join(str(e).split("\n")[0].split())


def outputs_of(y):
    if isinstance(y, torch.Tensor):
        return [list(y.shape)]
    out = []
    for t in y:
        out.extend(outputs_of(t))
    return out


def run(op, attrs, shapes):
    case = {"op": op, "attrs": attrs, "inputs": shapes}
    try:
        module, macs = build(op, attrs, shapes)
    except Exception as e:  # noqa: BLE001 - every rejection is a recorded result
        return {**case, "error": first_line(e), "stage": "init"}
    module.eval()
    dtype = torch.long if op in ("embedding", "Embedding") else torch.float32
    try:
        with torch.no_grad():
            y = module(*[torch.zeros(*s, dtype=dtype) for s in shapes])
    except Exception as e:  # noqa: BLE001
        return {**case, "error": first_line(e), "stage": "forward"}
    ys = outputs_of(y)
    # The attention wrapper holds its MultiheadAttention as `m`; PyTorch's own names follow it.
    name = lambda n: n[2:] if isinstance(module, Fn) and n.startswith("m.") else n  # noqa: E731
    weights = [[name(n), list(p.shape)] for n, p in module.named_parameters()]
    weights += [[name(n), list(b.shape)] for n, b in module.named_buffers() if b.is_floating_point()]
    return {
        **case,
        "outputs": ys,
        "params": sum(p.numel() for p in module.parameters()),
        "buffers": sum(b.numel() for b in module.buffers() if b.is_floating_point()),
        "weights": weights,
        "macs": macs(module, shapes, [torch.zeros(*s) for s in ys]),
    }


CASES = []


def case(op, attrs, *shapes):
    CASES.append((op, attrs, [list(s) for s in shapes]))


# --- normalisations ------------------------------------------------------------------
for affine in (True, False):
    case("layernorm", {"elementwise_affine": affine}, [1, 197, 768])
case("layernorm", {"dims": 2}, [2, 10, 4, 6])
case("layernorm", {"dims": 3, "eps": 1e-6}, [2, 3, 8, 8])
case("layernorm", {}, [4, 32])
for groups, affine in [(32, True), (32, False), (1, True), (64, True)]:
    case("groupnorm", {"groups": groups, "affine": affine}, [2, 64, 14, 14])
case("groupnorm", {"groups": 8}, [2, 32, 100])
case("groupnorm", {"groups": 5}, [1, 64, 8, 8])
for rank, shape in [(1, [2, 16, 50]), (2, [1, 32, 28, 28]), (3, [1, 8, 4, 6, 6])]:
    for affine in (False, True):
        for track in (False, True):
            attrs = {"affine": affine, "track_running_stats": track}
            case("instancenorm%dd" % rank, attrs, shape)
    case("instancenorm%dd" % rank, {}, shape)

# --- embeddings and PReLU ------------------------------------------------------------
case("embedding", {"num_embeddings": 30522, "embedding_dim": 768}, [2, 128])
case("embedding", {"num_embeddings": 1000, "embedding_dim": 64, "padding_idx": 0}, [4, 7])
case("embedding", {"num_embeddings": 10, "embedding_dim": 3}, [5])
case("prelu", {}, [1, 64, 8, 8])
case("prelu", {"num_parameters": 64}, [1, 64, 8, 8])
case("prelu", {"num_parameters": 32}, [4, 32])
case("prelu", {"num_parameters": 3}, [1, 64, 8, 8])

# --- transposed convolutions ---------------------------------------------------------
for a, s in [
    ({"out": 256, "kernel": 4, "stride": 2, "padding": 1, "bias": False}, [1, 512, 4, 4]),  # DCGAN
    ({"out": 3, "kernel": 4, "stride": 2, "padding": 1}, [1, 64, 32, 32]),
    ({"out": 64, "kernel": 2, "stride": 2}, [1, 128, 28, 28]),  # U-Net up-conv
    ({"out": 16, "kernel": 3, "stride": 2, "padding": 1, "output_padding": 1}, [2, 32, 7, 7]),
    ({"out": 16, "kernel": 3, "stride": 3, "padding": 0, "dilation": 2, "output_padding": 2}, [1, 8, 5, 6]),
    ({"out": 32, "kernel": [3, 5], "stride": [1, 2], "padding": [1, 2], "groups": 4}, [1, 16, 9, 9]),
    ({"out": 12, "kernel": 1, "stride": 1}, [1, 6, 3, 3]),
]:
    case("conv_transpose2d", a, s)
case("conv_transpose1d", {"out": 8, "kernel": 5, "stride": 3, "padding": 2, "output_padding": 1}, [2, 4, 20])
case("conv_transpose1d", {"out": 8, "kernel": 3, "groups": 2, "bias": False}, [1, 6, 10])
case("conv_transpose3d", {"out": 4, "kernel": 3, "stride": 2, "padding": 1, "output_padding": 1}, [1, 8, 4, 5, 6])
case("conv_transpose3d", {"out": 4, "kernel": [1, 3, 3], "stride": [1, 2, 2]}, [1, 2, 3, 4, 4])
case("conv_transpose2d", {"out": 16, "kernel": 3, "stride": 2, "output_padding": 2}, [1, 8, 5, 5])
case("conv_transpose2d", {"out": 15, "kernel": 3, "groups": 2}, [1, 8, 5, 5])
case("conv_transpose2d", {"out": 16, "kernel": 3, "groups": 3}, [1, 8, 5, 5])
case("conv_transpose2d", {"out": 16, "kernel": 5, "padding": 3}, [1, 8, 1, 1])
case("depthwise_conv2d", {"kernel": 3, "padding": 1}, [1, 32, 112, 112])
case("depthwise_conv2d", {"kernel": 5, "stride": 2, "padding": 2, "depth_multiplier": 2, "bias": False}, [1, 16, 20, 20])
case("depthwise_conv2d", {"kernel": 3, "dilation": 2}, [2, 8, 9, 9])
case("separable_conv2d", {"out": 64, "kernel": 3, "padding": 1}, [1, 32, 56, 56])
case("separable_conv2d", {"out": 128, "kernel": 3, "stride": 2, "depth_multiplier": 2, "bias": False}, [1, 16, 15, 15])

# --- recurrent -----------------------------------------------------------------------
for op in ("rnn", "lstm", "gru"):
    for layers, bidi, bias in [(1, False, True), (2, False, True), (3, True, True), (2, True, False), (1, True, True)]:
        case(op, {"hidden_size": 64, "num_layers": layers, "bidirectional": bidi, "bias": bias}, [35, 4, 32])
    case(op, {"hidden_size": 20, "batch_first": True}, [3, 11, 10])
    case(op, {"hidden_size": 16}, [9, 5])
    case(op, {"hidden_size": 16, "input_size": 12}, [9, 2, 10])
case("rnn", {"hidden_size": 32, "nonlinearity": "relu", "num_layers": 2}, [7, 1, 8])
case("rnn", {"hidden_size": 32, "nonlinearity": "sigmoid"}, [7, 1, 8])
case("lstm", {"hidden_size": 64, "proj_size": 16}, [35, 4, 32])
case("lstm", {"hidden_size": 64, "proj_size": 16, "num_layers": 2, "bidirectional": True, "batch_first": True}, [4, 35, 32])
case("lstm", {"hidden_size": 64, "proj_size": 64}, [35, 4, 32])
case("lstm", {"hidden_size": 512, "num_layers": 2, "dropout": 0.5}, [35, 20, 256])

# --- attention (PyTorch's packed nn.MultiheadAttention, batch_first) --------------------
case("attention", {"num_heads": 12, "packed": True}, [1, 197, 768])
case("attention", {"num_heads": 8, "packed": True, "bias": False}, [2, 10, 64])
case("attention", {"num_heads": 4, "packed": True}, [2, 10, 64], [2, 25, 64])
case("attention", {"num_heads": 4, "packed": True}, [2, 10, 64], [2, 25, 48])
case("attention", {"num_heads": 1, "packed": True}, [3, 5, 16])
case("attention", {"num_heads": 5, "packed": True}, [1, 4, 64])

# --- transformer layers ---------------------------------------------------------------
case("transformer_encoder_layer", {"nhead": 8}, [2, 10, 512])
case("transformer_encoder_layer", {"nhead": 12, "dim_feedforward": 3072, "norm_first": True, "activation": "gelu"}, [1, 197, 768])
case("transformer_decoder_layer", {"nhead": 8}, [2, 10, 512], [2, 16, 512])
case("transformer_decoder_layer", {"nhead": 4, "dim_feedforward": 256, "norm_first": True}, [1, 7, 128], [1, 9, 128])

# --- shape ops ------------------------------------------------------------------------
case("reshape", {"shape": [1, -1]}, [1, 512, 7, 7])
case("reshape", {"shape": [2, 197, 12, 64]}, [2, 197, 768])
case("reshape", {"shape": [-1, 3, 4]}, [6, 4, 2])
case("reshape", {"shape": [1, 4096]}, [1, 512, 7, 7])
case("reshape", {"shape": [-1, 5]}, [2, 3, 4])
case("reshape", {"shape": [-1, -1]}, [2, 3, 4])
case("permute", {"dims": [0, 2, 1]}, [1, 768, 196])
case("permute", {"dims": [0, 2, 3, 1]}, [1, 96, 56, 56])
case("permute", {"dims": [0, -1, 1, 2]}, [1, 56, 56, 96])
case("permute", {"dims": [0, 1, 1]}, [1, 2, 3])
case("permute", {"dims": [0, 1]}, [1, 2, 3])
case("transpose", {"dim0": 1, "dim1": 2}, [1, 768, 196])
case("transpose", {"dim0": -1, "dim1": 0}, [2, 3, 4])
case("transpose", {"dim0": 1, "dim1": 3}, [2, 3, 4])
case("squeeze", {}, [1, 3, 1, 5])
case("squeeze", {"dim": 2}, [1, 3, 1, 5])
case("squeeze", {"dim": 1}, [1, 3, 1, 5])
case("squeeze", {"dim": -1}, [4, 3, 1])
case("unsqueeze", {"dim": 1}, [4, 7])
case("unsqueeze", {"dim": -1}, [4, 7])
case("unsqueeze", {"dim": 2}, [4, 7])
case("unsqueeze", {"dim": 3}, [4, 7])
case("split", {"sizes": [2, 3, 5]}, [1, 10, 4])
case("split", {"chunks": 3}, [1, 2304, 197])
case("split", {"chunks": 4, "dim": -1}, [2, 5, 6])
case("split", {"chunks": 4}, [2, 10])
case("split", {"split_size": 4, "dim": 2}, [1, 3, 10])
case("split", {"sizes": [2, 3]}, [1, 10, 4])
case("pad", {"pad": [1, 1]}, [1, 3, 8])
case("pad", {"pad": [1, 2, 3, 4]}, [1, 3, 8, 8])
case("pad", {"pad": [0, 1, 0, 1], "mode": "reflect"}, [1, 3, 8, 8])
case("pad", {"pad": [2, 2, 2, 2], "mode": "replicate"}, [1, 3, 8, 8])
case("pad", {"pad": [1, 1, 1, 1, 1, 1]}, [1, 3, 4, 8, 8])
case("pad", {"pad": [0, 0, 0, 0, 2, 2], "value": 1.0}, [1, 3, 8, 8])
case("pad", {"pad": [-1, -1]}, [1, 3, 8])
case("pad", {"pad": [8, 0], "mode": "reflect"}, [1, 3, 8])
case("pad", {"pad": [1]}, [1, 3, 8])
case("upsample", {"scale_factor": 2}, [1, 64, 28, 28])
case("upsample", {"scale_factor": 2, "mode": "bilinear", "align_corners": False}, [1, 64, 28, 28])
case("upsample", {"size": [56, 40], "mode": "bicubic"}, [1, 3, 28, 20])
case("upsample", {"scale_factor": 1.5, "mode": "linear"}, [2, 4, 11])
case("upsample", {"scale_factor": [2, 3, 1], "mode": "trilinear"}, [1, 2, 4, 4, 4])
case("upsample", {"size": 7}, [1, 2, 3, 3])
case("upsample", {"scale_factor": 2, "mode": "bilinear"}, [1, 2, 8])
case("pixel_shuffle", {"upscale_factor": 3}, [1, 18, 4, 5])
case("pixel_shuffle", {"upscale_factor": 2}, [1, 6, 4, 4])
case("pixel_unshuffle", {"downscale_factor": 2}, [1, 3, 8, 6])
case("pixel_unshuffle", {"downscale_factor": 3}, [1, 3, 8, 6])
case("unflatten", {"dim": 1, "sizes": [64, 7, 7]}, [2, 3136])
case("unflatten", {"dim": -1, "sizes": [4, -1]}, [1, 3, 12])
case("unflatten", {"dim": 1, "sizes": [5, 5]}, [1, 24])
case("unflatten", {"dim": 2, "sizes": [2, 3]}, [1, 6])

# --- PyTorch's own classes and keywords -------------------------------------------------
case("Conv2d", {"in_channels": 3, "out_channels": 16, "kernel_size": 3, "padding": "same", "padding_mode": "reflect", "bias": False}, [1, 3, 32, 32])
case("Conv2d", {"in_channels": 3, "out_channels": 8, "kernel_size": 4, "padding": "same", "dilation": 2}, [1, 3, 15, 15])
case("Conv2d", {"in_channels": 3, "out_channels": 8, "kernel_size": [3, 5], "stride": 2, "padding": [1, 2], "groups": 1}, [2, 3, 20, 24])
case("Conv2d", {"in_channels": 4, "out_channels": 8, "kernel_size": 3}, [1, 3, 8, 8])
case("Conv1d", {"in_channels": 80, "out_channels": 256, "kernel_size": 5, "padding": "same", "padding_mode": "replicate"}, [2, 80, 100])
case("Conv3d", {"in_channels": 3, "out_channels": 64, "kernel_size": [3, 7, 7], "stride": [1, 2, 2], "padding": [1, 3, 3], "bias": False}, [1, 3, 16, 56, 56])
case("ConvTranspose1d", {"in_channels": 16, "out_channels": 8, "kernel_size": 4, "stride": 2, "padding": 1}, [1, 16, 50])
case("ConvTranspose3d", {"in_channels": 8, "out_channels": 4, "kernel_size": 2, "stride": 2}, [1, 8, 4, 6, 6])
case("ConvTranspose2d", {"in_channels": 64, "out_channels": 32, "kernel_size": 2, "stride": 2, "padding_mode": "zeros"}, [1, 64, 35, 35])
case("Linear", {"in_features": 512, "out_features": 10, "bias": False}, [4, 512])
case("Linear", {"in_features": 500, "out_features": 10}, [4, 512])
case("BatchNorm2d", {"num_features": 32, "eps": 1e-3, "momentum": 0.03}, [1, 32, 8, 8])
case("BatchNorm2d", {"num_features": 16}, [1, 32, 8, 8])
case("BatchNorm3d", {"num_features": 64}, [1, 64, 2, 7, 7])
case("BatchNorm1d", {"num_features": 100, "affine": False}, [8, 100])
case("GroupNorm", {"num_groups": 4, "num_channels": 32}, [1, 32, 8, 8])
case("GroupNorm", {"num_groups": 4, "num_channels": 16}, [1, 32, 8, 8])
case("InstanceNorm2d", {"num_features": 8, "affine": True}, [1, 8, 5, 5])
case("MaxPool2d", {"kernel_size": 3, "stride": 1, "padding": 1}, [1, 8, 20, 20])
case("AvgPool1d", {"kernel_size": 5}, [1, 4, 23])
case("AdaptiveAvgPool1d", {"output_size": 1}, [2, 64, 37])
case("AdaptiveAvgPool3d", {"output_size": [1, 1, 1]}, [1, 512, 2, 7, 7])
case("AdaptiveMaxPool1d", {"output_size": 8}, [1, 3, 20])
case("AdaptiveMaxPool3d", {"output_size": [2, 3, 3]}, [1, 4, 4, 9, 9])
case("Dropout1d", {"p": 0.1}, [2, 16, 10])
case("Dropout2d", {"p": 0.2}, [2, 16, 10, 10])
case("Dropout3d", {}, [1, 4, 2, 5, 5])
case("LogSoftmax", {"dim": 1}, [3, 10])
case("Unflatten", {"dim": 1, "unflattened_size": [64, 7, 7]}, [1, 3136])
case("Embedding", {"num_embeddings": 20000, "embedding_dim": 128, "padding_idx": 0}, [2, 50])
case("LSTM", {"input_size": 128, "hidden_size": 256, "num_layers": 2, "batch_first": True, "bidirectional": True}, [2, 50, 128])
case("GRU", {"input_size": 80, "hidden_size": 256, "num_layers": 3}, [100, 2, 80])
case("GRU", {"input_size": 64, "hidden_size": 256}, [100, 2, 80])
case("TransformerEncoderLayer", {"d_model": 192, "nhead": 3, "dim_feedforward": 768, "activation": "gelu", "batch_first": True, "norm_first": True}, [2, 65, 192])
case("TransformerEncoderLayer", {"d_model": 64, "nhead": 4, "dim_feedforward": 128}, [10, 2, 64])
case("TransformerEncoderLayer", {"d_model": 32, "nhead": 4, "batch_first": True}, [2, 10, 64])
case("MultiheadAttention", {"embed_dim": 64, "num_heads": 8}, [10, 2, 64])
case("MultiheadAttention", {"embed_dim": 64, "num_heads": 4, "batch_first": True, "kdim": 48, "vdim": 48}, [2, 10, 64], [2, 25, 48])
case("MultiheadAttention", {"embed_dim": 32, "num_heads": 4, "batch_first": True}, [2, 10, 64])


def main():
    warnings.filterwarnings("ignore")
    torch.manual_seed(0)
    rows = [run(op, a, s) for op, a, s in CASES]
    with open(OUT, "w") as f:
        f.write('{"torch": %s, "generator": "scripts/oracle/ops2_oracle.py", "cases": [\n' % json.dumps(torch.__version__))
        f.write(",\n".join(json.dumps(r, separators=(", ", ": ")) for r in rows))
        f.write("\n]}\n")
    errors = sum(1 for r in rows if "error" in r)
    print("%d cases (%d rejected) -> %s" % (len(rows), errors, os.path.relpath(OUT, ROOT)))


if __name__ == "__main__":
    main()
