#!/usr/bin/python3
"""Generate torchvision "oracle" JSON files for the nncalc TypeScript tests.

Run ONLY with Debian's interpreter, which has PyTorch 1.13 / torchvision 0.14:

    /usr/bin/python3 scripts/oracle/torchvision_oracle.py            # all models
    /usr/bin/python3 scripts/oracle/torchvision_oracle.py vgg16 swin_t

For each model: build with weights=None (+ listed kwargs), eval(), manual_seed(0),
one forward pass with batch size 1 under torch.no_grad(), with forward hooks on
every "leaf" module. Writes test/oracle/torchvision/<name>.json.

Leaf modules
------------
* every module without child modules, plus
* nn.MultiheadAttention, torchvision's swin ShiftedWindowAttention(V2) and MViT's
  MultiscaleAttention, which are treated as leaves (their children are NOT listed: MHA's out_proj is never called
  as a module; SWA's qkv/proj are only used through F.linear with their weights).
  Their children's parameters are counted in the leaf's "params".

MACs convention (multiply-accumulates, computed here from hook shapes; no third-party
FLOP counter is used)
---------------------------------------------------------------------------------
* Conv1d/2d/3d:          out.numel() * (in_channels // groups) * prod(kernel_size)
* ConvTranspose1d/2d/3d: in.numel()  * (out_channels // groups) * prod(kernel_size)
* Linear (+ subclasses): out.numel() * in_features
* MultiheadAttention:    per batch element, query length L, key/value length S,
                         embed dim E (kdim/vdim for the k/v projections):
                           q-proj L*E*E + k-proj S*kdim*E + v-proj S*vdim*E
                         + out-proj L*E*E + QK^T L*S*E + AV L*S*E
                         (for self-attention: 4*L*E^2 + 2*L^2*E)
* ShiftedWindowAttention (swin v1 and v2), input [B,H,W,C], window [wh,ww], heads h:
      pad_H = ceil(H/wh)*wh, pad_W = ceil(W/ww)*ww   (F.pad to window multiple)
      nW = (pad_H/wh)*(pad_W/ww),  N = wh*ww tokens per window,  T = B*nW*N
      qkv  = T * C * 3C            (F.linear on the padded window tokens)
      proj = T * C * C             (F.linear)
      QK^T = B*nW * h * N*N * (C/h) = B*nW*N*N*C
      AV   = B*nW*N*N*C
      total = 4*T*C^2 + 2*B*nW*N^2*C
  ShiftedWindowAttentionV2 (swin v2) adds its continuous position bias MLP (Linear 2 -> 512,
  ReLU, Linear 512 -> h), run once per call on the (2wh-1)*(2ww-1) relative coordinates:
      cpb = (2wh-1)*(2ww-1) * (2*512 + 512*h)
  (cosine attention normalises q and k; the matmuls are the same as v1's).
  The analytic value is cross-checked against the matmul/linear MACs measured by a
  TorchFunctionMode during the forward (assertion below).
* MultiscaleAttention (MViT), input [B, N, C_in] with its grid thw, h heads of d = C_out/h; q pooled to
  q_thw and k, v to k_thw by depthwise Conv3d (kernel k), N_q = 1 + prod(q_thw), N_k = 1 + prod(k_thw):
      qkv B*N*C_in*3C_out + pools B*h*d*prod(out_thw)*prod(k) (each of q, k, v)
      + QK^T and AV B*h*N_q*N_k*d each + relative positions B*h*prod(q_thw)*(k_h + k_w + k_t)*d
      + project B*N_q*C_out^2
  Everything but the pools is cross-checked against the matmul/linear/einsum MACs measured inside it
  (an einsum of two operands counts the product of all its index sizes).
* every other module type: 0 (pooling, activations, norms, dropout, ...).

functional_matmul_macs
----------------------
A TorchFunctionMode (torch.overrides.TorchFunctionMode) wraps the whole forward pass
and sees every torch.matmul / Tensor.matmul / @ / mm / bmm / addmm / baddbmm /
F.linear / einsum call. Forward pre-hooks/hooks maintain a stack of the currently running leaf
modules; a matmul-like call that happens while no leaf is running is counted in the
top-level "functional_matmul_macs" (MACs = out.numel() * contraction_dim). Calls
inside leaves are only used for cross-checks (nn.Linear and swin attention). For
swin_t the window attention matmuls run inside ShiftedWindowAttention, which is a leaf
here, so they are part of that layer's "macs" and functional_matmul_macs is 0.
"""

import gc
import inspect
import json
import math
import os
import sys
import time

import torch
import torch.nn as nn
import torchvision
from torch.overrides import TorchFunctionMode
from torchvision.models import get_model_weights
from torchvision.models.swin_transformer import ShiftedWindowAttention, ShiftedWindowAttentionV2
from torchvision.models.video.mvit import MultiscaleAttention
from torchvision.models._api import WeightsEnum
from torchvision.models.detection.image_list import ImageList
from torchvision.ops.feature_pyramid_network import LastLevelMaxPool

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT_DIR = os.path.join(ROOT, "test", "oracle", "torchvision")

S224 = [1, 3, 224, 224]


def sz(n):
    return [1, 3, n, n]


# (file name, builder function, kwargs (ordered), input shape, options)
# options: "published": False -> the default weights' num_params does not apply to this
#          configuration; "aux_pass": True -> extra train-mode pass (batch 2) to get the
#          shapes/MACs of the aux heads, which never run in eval mode.
_GN = dict(transform_input=False, init_weights=True)
MODELS = [
    ("alexnet", "alexnet", {}, S224, {}),
    *[(n, n, {}, S224, {}) for n in ["vgg11", "vgg13", "vgg16", "vgg19",
                                      "vgg11_bn", "vgg13_bn", "vgg16_bn", "vgg19_bn"]],
    *[(n, n, {}, S224, {}) for n in ["resnet18", "resnet34", "resnet50", "resnet101", "resnet152",
                                      "resnext50_32x4d", "resnext101_32x8d", "wide_resnet50_2"]],
    *[(n, n, {}, S224, {}) for n in ["squeezenet1_0", "squeezenet1_1", "densenet121",
                                      "densenet161", "densenet169", "densenet201"]],
    ("googlenet", "googlenet", dict(aux_logits=False, **_GN), S224, {}),
    ("googlenet_aux", "googlenet", dict(aux_logits=True, **_GN), S224,
     {"published": False, "aux_pass": True}),
    ("inception_v3", "inception_v3", dict(aux_logits=True, **_GN), sz(299), {"aux_pass": True}),
    ("inception_v3_noaux", "inception_v3", dict(aux_logits=False, **_GN), sz(299),
     {"published": False}),
    *[(n, n, {}, S224, {}) for n in ["mobilenet_v2", "mobilenet_v3_small", "mobilenet_v3_large",
                                      "mnasnet0_5", "mnasnet0_75", "mnasnet1_0", "mnasnet1_3",
                                      "shufflenet_v2_x0_5", "shufflenet_v2_x1_0",
                                      "shufflenet_v2_x1_5", "shufflenet_v2_x2_0"]],
    *[("efficientnet_b%d" % i, "efficientnet_b%d" % i, {}, sz(r), {})
      for i, r in enumerate([224, 240, 288, 300, 380, 456, 528, 600])],
    ("efficientnet_v2_s", "efficientnet_v2_s", {}, sz(384), {}),
    ("efficientnet_v2_m", "efficientnet_v2_m", {}, sz(480), {}),
    ("efficientnet_v2_l", "efficientnet_v2_l", {}, sz(480), {}),
    *[(n, n, {}, S224, {}) for n in [
        "regnet_x_400mf", "regnet_x_800mf", "regnet_x_1_6gf", "regnet_x_3_2gf", "regnet_x_8gf",
        "regnet_x_16gf", "regnet_y_400mf", "regnet_y_800mf", "regnet_y_1_6gf", "regnet_y_3_2gf",
        "regnet_y_8gf", "regnet_y_16gf"]],
    *[(n, n, {}, S224, {}) for n in ["convnext_tiny", "convnext_small", "convnext_base",
                                      "convnext_large", "vit_b_16", "vit_b_32", "swin_t"]],
    # the larger classification models
    *[(n, n, {}, S224, {}) for n in ["resnext101_64x4d", "wide_resnet101_2", "regnet_x_32gf",
                                      "regnet_y_32gf", "regnet_y_128gf", "vit_l_16", "vit_l_32",
                                      "swin_s", "swin_b"]],
    # weights=None builds ViT-H/14 for 224x224, the configuration of the SWAG_LINEAR weights
    # (the DEFAULT SWAG_E2E weights are for 518x518 and have a longer position embedding).
    ("vit_h_14", "vit_h_14", {}, S224, {"weights": "IMAGENET1K_SWAG_LINEAR_V1"}),
    *[(n, n, {}, sz(256), {}) for n in ["swin_v2_t", "swin_v2_s", "swin_v2_b"]],
    # semantic segmentation (torchvision.models.segmentation) on 520x520, the size its weights' transforms
    # resize to; 21 classes (the VOC labels of the published weights), no pretrained backbone. The published
    # weights were trained with aux_loss=True, so their num_params applies to the aux variants only.
    *[(n + suffix, n, dict(weights_backbone=None, aux_loss=aux), sz(520),
       {"module": "segmentation", **({} if aux else {"published": False})})
      for n in ["fcn_resnet50", "fcn_resnet101", "deeplabv3_resnet50", "deeplabv3_resnet101",
                "deeplabv3_mobilenet_v3_large"]
      for suffix, aux in [("", True), ("_noaux", False)]],
    ("lraspp_mobilenet_v3_large", "lraspp_mobilenet_v3_large", dict(weights_backbone=None), sz(520),
     {"module": "segmentation"}),
    # video classification (torchvision.models.video), Kinetics-400 classes, on one clip [1, 3, T, H, W] of the
    # length and crop the weights' docs evaluate with: clip_len=16 at 112x112 for the video ResNets, 128 frames
    # at 224x224 for S3D, 16 frames at 224x224 for MViT (which is built for exactly that size).
    *[(n, n, {}, [1, 3, 16, 112, 112], {"module": "video"}) for n in ["r3d_18", "mc3_18", "r2plus1d_18"]],
    ("s3d", "s3d", {}, [1, 3, 128, 224, 224], {"module": "video"}),
    ("mvit_v2_s", "mvit_v2_s", {}, [1, 3, 16, 224, 224], {"module": "video"}),
    # object detection (torchvision.models.detection): built as the published weights build it (see
    # build_detection), on one image the transform keeps as it is: 800x800 for the models that resize the
    # shorter side to min_size=800 (and pad to a multiple of 32, which 800 is), 300x300 for SSD300, 320x320
    # for SSDlite320. Score thresholds 0 and NMS thresholds 1 make every proposal and detection count reach its
    # cap (1000 RPN proposals, the detections_per_img), the counts nncalc states.
    *[(n, n, {}, sz(800), {"module": "detection", "detection": True})
      for n in ["fasterrcnn_resnet50_fpn", "fasterrcnn_mobilenet_v3_large_fpn", "retinanet_resnet50_fpn",
                "maskrcnn_resnet50_fpn", "keypointrcnn_resnet50_fpn", "fcos_resnet50_fpn"]],
    ("ssd300_vgg16", "ssd300_vgg16", {}, sz(300), {"module": "detection", "detection": True}),
    ("ssdlite320_mobilenet_v3_large", "ssdlite320_mobilenet_v3_large", {}, sz(320),
     {"module": "detection", "detection": True}),
]

CONV = (nn.Conv1d, nn.Conv2d, nn.Conv3d)
CONVT = (nn.ConvTranspose1d, nn.ConvTranspose2d, nn.ConvTranspose3d)
LEAF_TYPES = (nn.MultiheadAttention, ShiftedWindowAttention, MultiscaleAttention)


def numel_params(module, recurse=False):
    return sum(p.numel() for p in module.parameters(recurse=recurse))


def numel_float_buffers(module, recurse=False):
    return sum(b.numel() for b in module.buffers(recurse=recurse) if b.is_floating_point())


def first_tensor(out):
    if isinstance(out, torch.Tensor):
        return out
    if isinstance(out, ImageList):  # the detection transform's batched, padded images
        return out.tensors
    if isinstance(out, dict) and out:  # segmentation models return {"out": ..., "aux": ...}
        return first_tensor(next(iter(out.values())))
    if isinstance(out, (tuple, list)) and out:
        return first_tensor(out[0])
    return None


def mha_macs(m, args):
    """Analytic MACs of nn.MultiheadAttention (see module docstring).

    args = (query, key, value), normalised from positional/keyword arguments by the
    forward wrapper in run_pass (torch 1.13 forward hooks do not receive kwargs)."""
    q, k, v = args[0], args[1], args[2]
    assert m.bias_k is None and m.bias_v is None and not m.add_zero_attn, "unsupported MHA config"
    E = m.embed_dim
    if q.dim() == 2:  # unbatched (L, E)
        n, L, S = 1, q.shape[0], k.shape[0]
    elif m.batch_first:  # (N, L, E)
        n, L, S = q.shape[0], q.shape[1], k.shape[1]
    else:  # (L, N, E)
        n, L, S = q.shape[1], q.shape[0], k.shape[0]
    return n * (L * E * E + S * m.kdim * E + S * m.vdim * E + L * E * E + 2 * L * S * E)


def swa_macs(m, x):
    """Analytic MACs of swin's ShiftedWindowAttention (v1 and v2); see module docstring."""
    B, H, W, C = x.shape
    wh, ww = m.window_size
    pad_H = math.ceil(H / wh) * wh
    pad_W = math.ceil(W / ww) * ww
    nW = (pad_H // wh) * (pad_W // ww)
    N = wh * ww
    T = B * nW * N
    qkv = T * C * 3 * C
    proj = T * C * C
    qk = B * nW * m.num_heads * N * N * (C // m.num_heads)
    av = qk
    cpb = 0
    if isinstance(m, ShiftedWindowAttentionV2):
        # the continuous position bias MLP runs once per call on the (2wh-1)(2ww-1) relative coordinates
        l1, l2 = m.cpb_mlp[0], m.cpb_mlp[2]
        cells = m.relative_coords_table.shape[1] * m.relative_coords_table.shape[2]
        cpb = cells * l1.in_features * l1.out_features + cells * l2.in_features * l2.out_features
    return qkv + proj + qk + av + cpb


def msa_macs(m, inputs):
    """Analytic MACs of MViT's MultiscaleAttention (see module docstring), and the part of them that is matmuls,
    einsums and linears (the rest is the depthwise pooling convs), for the cross-check."""
    x, thw = inputs[0], inputs[1]
    B, N, c_in = x.shape
    h, d, c_out = m.num_heads, m.head_dim, m.output_dim

    def pooled(pool, size):
        if pool is None:
            return tuple(size), 0
        conv = pool.pool
        out = tuple((s + 2 * p - k) // st + 1
                    for s, p, k, st in zip(size, conv.padding, conv.kernel_size, conv.stride))
        return out, B * h * d * math.prod(out) * math.prod(conv.kernel_size) * (conv.in_channels // conv.groups)

    q_thw, conv_q = pooled(m.pool_q, thw)
    k_thw, conv_k = pooled(m.pool_k, thw)
    _, conv_v = pooled(m.pool_v, thw)
    nq, nk = 1 + math.prod(q_thw), 1 + math.prod(k_thw)
    qkv = B * N * c_in * 3 * c_out
    scores = B * h * nq * nk * d  # QK^T, and the same again for AV
    rel = 0
    if m.rel_pos_h is not None:
        rel = B * h * math.prod(q_thw) * (k_thw[1] + k_thw[2] + k_thw[0]) * d
    proj = B * nq * c_out * c_out
    matmuls = qkv + 2 * scores + rel + proj
    return matmuls + conv_q + conv_k + conv_v, matmuls


def layer_macs(m, inputs, output):
    out = first_tensor(output)
    if isinstance(m, CONV):
        return out.numel() * (m.in_channels // m.groups) * math.prod(m.kernel_size)
    if isinstance(m, CONVT):
        return inputs[0].numel() * (m.out_channels // m.groups) * math.prod(m.kernel_size)
    if isinstance(m, nn.Linear):
        return out.numel() * m.in_features
    if isinstance(m, nn.MultiheadAttention):
        return mha_macs(m, inputs)
    if isinstance(m, ShiftedWindowAttention):
        return swa_macs(m, inputs[0])
    if isinstance(m, MultiscaleAttention):
        return msa_macs(m, inputs)[0]
    return 0


# ----------------------------------------------------------------------------------
# functional matmul accounting
_MATMUL_NAMES = {"matmul", "__matmul__", "__rmatmul__", "mm", "bmm", "linear",
                 "addmm", "baddbmm", "addbmm", "einsum", "multi_head_attention_forward",
                 "_native_multi_head_attention"}


def _einsum_macs(args, out):
    """A two-operand einsum without '...': every combination of its index letters is one multiply-accumulate."""
    eq, ops = args[0], args[1:]
    if len(ops) == 1 and isinstance(ops[0], (list, tuple)):
        ops = ops[0]
    ins = eq.replace(" ", "").split("->")[0].split(",")
    assert len(ins) == 2 == len(ops) and "." not in eq, eq
    sizes = {}
    for letters, t in zip(ins, ops):
        for letter, n in zip(letters, t.shape):
            sizes[letter] = n
    return math.prod(sizes.values())


def _matmul_macs(name, args, kwargs, out):
    if not isinstance(out, torch.Tensor):
        return 0
    if name == "einsum":
        return _einsum_macs(args, out)
    if name == "__rmatmul__":
        a = args[1]
    elif name in ("addmm", "baddbmm", "addbmm"):
        a = args[1]
    else:
        a = args[0]
    if name == "addbmm":  # sums over the batch dimension too
        return a.shape[0] * out.numel() * a.shape[-1]
    return out.numel() * a.shape[-1]


class Tracker(TorchFunctionMode):
    def __init__(self):
        super().__init__()
        self.stack = []            # currently running leaf modules
        self.outside = 0           # matmul MACs outside any leaf
        self.outside_calls = 0
        self.inside = {}           # id(leaf) -> measured matmul MACs
        self.unsupported = set()   # ops we cannot count (einsum / fused MHA outside leaves)

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        out = func(*args, **kwargs)
        name = getattr(func, "__name__", "")
        if name in _MATMUL_NAMES:
            if name in ("multi_head_attention_forward", "_native_multi_head_attention"):
                if not self.stack:
                    self.unsupported.add(name)
                return out
            macs = _matmul_macs(name, args, kwargs, out)
            if self.stack:
                key = id(self.stack[-1])
                self.inside[key] = self.inside.get(key, 0) + macs
            else:
                self.outside += macs
                self.outside_calls += 1
        return out


# ----------------------------------------------------------------------------------
def find_leaves(model):
    leaves, skip = [], []
    for name, m in model.named_modules():
        if any(name.startswith(p + ".") for p in skip):
            continue
        if isinstance(m, LEAF_TYPES):
            leaves.append((name, m))
            skip.append(name)
        elif next(m.children(), None) is None and name != "":
            leaves.append((name, m))
    return leaves


def run_pass(model, leaves, x, tracker):
    """One forward pass with hooks; returns (records by id, order list, model output)."""
    rec, order, handles = {}, [], []

    def pre(m, inp):
        tracker.stack.append(m)

    def post(m, inp, out):
        popped = tracker.stack.pop()
        assert popped is m
        r = rec.get(id(m))
        if r is None:
            # LastLevelMaxPool returns every FPN level with its own appended: record the one it adds.
            t = out[0][-1] if isinstance(m, LastLevelMaxPool) else first_tensor(out)
            r = rec[id(m)] = {"output": list(t.shape) if t is not None else None,
                              "macs": 0, "calls": 0}
            order.append(id(m))
        r["calls"] += 1
        r["macs"] += layer_macs(m, inp, out)
        if isinstance(m, MultiscaleAttention):
            r["matmul_check"] = r.get("matmul_check", 0) + msa_macs(m, inp)[1]

    # torch 1.13 hooks only see positional inputs, and torchvision's ViT calls
    # self_attention(query=x, key=x, value=x, ...). For nn.MultiheadAttention, wrap the
    # instance's forward to capture (query, key, value) and hand them to the post hook.
    mha_inputs = {}

    def wrap(m):
        orig = m.forward
        sig = inspect.signature(orig)

        def fwd(*a, **k):
            bound = sig.bind(*a, **k)
            mha_inputs[id(m)] = (bound.arguments["query"], bound.arguments["key"],
                                 bound.arguments["value"])
            return orig(*a, **k)
        m.forward = fwd

    def post_mha(m, inp, out):
        return post(m, mha_inputs.pop(id(m)), out)

    wrapped = []
    for _, m in leaves:
        handles.append(m.register_forward_pre_hook(pre))
        if isinstance(m, nn.MultiheadAttention):
            wrap(m)
            wrapped.append(m)
            handles.append(m.register_forward_hook(post_mha))
        else:
            handles.append(m.register_forward_hook(post))
    try:
        with torch.no_grad(), tracker:
            out = model(x)
    finally:
        for h in handles:
            h.remove()
        for m in wrapped:
            del m.forward
    assert not tracker.stack
    return rec, order, out


def published_meta(fn, weights=None):
    try:
        enum = get_model_weights(fn)
        w = enum[weights] if weights else enum.DEFAULT
    except Exception:  # pragma: no cover
        return None, None, None
    meta = w.meta
    gflops = meta.get("_ops", meta.get("_flops"))
    return meta.get("num_params"), "%s.%s" % (type(w).__name__, w.name), gflops


def kwargs_str(kw):
    return "".join(", %s=%r" % (k, v) for k, v in kw.items())


def dump(path, head, layers):
    sep = (",", ":")
    body = json.dumps(head, separators=sep)[:-1]
    lines = [json.dumps(l, separators=sep) for l in layers]
    with open(path, "w") as f:
        f.write(body + ',"layers":[\n' + ",\n".join(lines) + "\n]}\n")


def build_detection(fn):
    """A detection model as its DEFAULT weights build it, without downloading them.

    With weights given, torchvision's detection builders choose the pretrained configuration: FrozenBatchNorm2d
    in the backbone (all four of its tensors are buffers), the frozen early stages, num_classes from the weights'
    categories, SSDlite's reduced tail. The published num_params counts that model. Loading is stubbed out
    (WeightsEnum.get_state_dict returns {} and load_state_dict does nothing), so the weights stay random."""
    builder = getattr(torchvision.models.detection, fn)
    weights = get_model_weights(fn).DEFAULT
    get, load = WeightsEnum.get_state_dict, nn.Module.load_state_dict
    WeightsEnum.get_state_dict = lambda self, *a, **k: {}
    nn.Module.load_state_dict = lambda self, *a, **k: None
    try:
        model = builder(weights=weights)
    finally:
        WeightsEnum.get_state_dict, nn.Module.load_state_dict = get, load
    # Every score passes and NMS keeps everything, and the box regressors predict no offsets (so no box decoded
    # from random weights collapses and is dropped as too small): each count reaches its cap.
    with torch.no_grad():
        for mname, m in model.named_modules():
            if any(k in mname for k in ("bbox_pred", "bbox_reg", "regression_head")):
                for p in m.parameters(recurse=False):
                    p.zero_()
    for m in [model, getattr(model, "rpn", None), getattr(model, "roi_heads", None)]:
        if m is not None and hasattr(m, "score_thresh"):
            m.score_thresh = 0.0
        if m is not None and hasattr(m, "nms_thresh"):
            m.nms_thresh = 1.0
    return model, "torchvision.models.detection.%s(weights=%s.%s), weights not loaded" % (
        fn, type(weights).__name__, weights.name)


def run_model(name, fn, kw, shape, opts):
    t0 = time.time()
    torch.manual_seed(0)
    namespace = torchvision.models
    if opts.get("module"):
        namespace = getattr(torchvision.models, opts["module"])
    if opts.get("detection"):
        model, builder = build_detection(fn)
    else:
        model = getattr(namespace, fn)(weights=None, **kw)
        builder = "torchvision.models.%s%s(weights=None%s)" % (
            opts["module"] + "." if opts.get("module") else "", fn, kwargs_str(kw))
    model.eval()
    leaves = find_leaves(model)
    leaf_ids = {id(m) for _, m in leaves}

    torch.manual_seed(0)
    x = torch.randn(*shape)
    tracker = Tracker()
    rec, order, out = run_pass(model, leaves, x, tracker)
    out_t = first_tensor(out)
    del x, out

    # optional train-mode pass (batch 2) for aux heads never run in eval mode
    aux_rec = {}
    if opts.get("aux_pass"):
        model.train()
        torch.manual_seed(0)
        x2 = torch.randn(2, *shape[1:])
        rec2, _, out2 = run_pass(model, leaves, x2, Tracker())
        model.eval()
        del x2, out2
        for lname, m in leaves:
            if id(m) not in rec and id(m) in rec2:
                r2 = rec2[id(m)]
                o = list(r2["output"])
                assert o[0] == 2
                o[0] = 1
                assert r2["macs"] % 2 == 0
                aux_rec[id(m)] = {"output": o, "macs": r2["macs"] // 2}

    by_id = {id(m): (n, m) for n, m in leaves}
    layers = []

    def entry(lname, m):
        p = numel_params(m, recurse=isinstance(m, LEAF_TYPES))
        b = numel_float_buffers(m, recurse=isinstance(m, LEAF_TYPES))
        return {"name": lname, "type": type(m).__name__, "params": p, "buffers": b}

    for i in order:
        lname, m = by_id[i]
        e = entry(lname, m)
        check = rec[i].pop("matmul_check", None)
        e.update(rec[i])
        layers.append(e)
        # cross-checks of analytic MACs against functional matmul measurements
        measured = tracker.inside.get(i, 0)
        if isinstance(m, (nn.Linear, ShiftedWindowAttention)):
            assert measured == rec[i]["macs"], (name, lname, measured, rec[i]["macs"])
        if isinstance(m, MultiscaleAttention):
            assert measured == check, (name, lname, measured, check)
    for lname, m in leaves:
        if id(m) in rec:
            continue
        e = entry(lname, m)
        a = aux_rec.get(id(m))
        e.update({"output": a["output"] if a else None, "macs": a["macs"] if a else None,
                  "calls": 0})
        layers.append(e)

    # parameters held by non-leaf modules (class_token, pos_embedding, layer_scale, ...)
    covered = set()
    for _, m in leaves:
        for p in m.parameters(recurse=isinstance(m, LEAF_TYPES)):
            covered.add(id(p))
    other = []
    leaf_names = [n for n, lm in leaves if isinstance(lm, LEAF_TYPES)]
    for mname, m in model.named_modules():
        if id(m) in leaf_ids or any(mname.startswith(p + ".") for p in leaf_names):
            continue
        for pname, p in m.named_parameters(recurse=False):
            other.append({"name": (mname + "." if mname else "") + pname,
                          "shape": list(p.shape), "numel": p.numel()})
            covered.add(id(p))

    params = numel_params(model, recurse=True)
    # sanity: every parameter is either in a leaf or in other_params, and none is shared
    layer_param_sum = sum(l["params"] for l in layers) + sum(o["numel"] for o in other)
    all_ids = {id(p) for p in model.parameters()}
    assert covered == all_ids, name
    shared = layer_param_sum - params

    head = {
        "model": name,
        "builder": builder,
        "torch": torch.__version__,
        "torchvision": torchvision.__version__,
        "input": list(shape),
        "params": params,
        "trainable": sum(p.numel() for p in model.parameters() if p.requires_grad),
        "buffers": numel_float_buffers(model, recurse=True),
        "macs": sum(rec[i]["macs"] for i in order),
        "functional_matmul_macs": tracker.outside,
        "output": list(out_t.shape),
    }
    if aux_rec:
        head["aux_macs"] = sum(a["macs"] for a in aux_rec.values())
        head["aux_pass"] = ("aux layers (calls 0) got output/macs from an extra train() pass "
                            "with batch 2; batch dim set to 1, macs divided by 2; "
                            "not included in 'macs'")
    pub, wname, gflops = published_meta(fn, opts.get("weights"))
    if pub is not None:
        if opts.get("published", True):
            head["published"] = pub
            head["published_weights"] = wname
        else:
            head["published_note"] = ("%s num_params=%d is for the default configuration, "
                                      "not this one" % (wname, pub))
    if gflops is not None:
        head["published_gflops"] = gflops
    if shared:
        head["shared_params_double_counted_in_layers"] = shared
    if tracker.unsupported:
        head["uncounted_functional_ops"] = sorted(tracker.unsupported)
    head["other_params"] = other

    os.makedirs(OUT_DIR, exist_ok=True)
    dump(os.path.join(OUT_DIR, name + ".json"), head, layers)

    multi = [(l["name"], l["calls"]) for l in layers if l["calls"] > 1]
    info = {"params": params, "macs": head["macs"], "published": head.get("published"),
            "multi": multi, "uncalled": sum(1 for l in layers if l["calls"] == 0),
            "other": [(o["name"], o["numel"]) for o in other],
            "functional": tracker.outside, "unsupported": sorted(tracker.unsupported),
            "sec": time.time() - t0}
    del model, leaves, rec, tracker, by_id
    gc.collect()
    return info


def main(argv):
    torch.set_num_threads(2)
    known = {m[0]: m for m in MODELS}
    wanted = argv or [m[0] for m in MODELS]
    bad = [w for w in wanted if w not in known]
    if bad:
        sys.exit("unknown model(s): %s; known: %s" % (", ".join(bad), ", ".join(known)))
    mismatches = []
    for w in wanted:
        info = run_model(*known[w])
        flag = ""
        if info["published"] is not None and info["published"] != info["params"]:
            flag = "  PARAMS != published %d" % info["published"]
            mismatches.append(w)
        extra = []
        if info["multi"]:
            extra.append("multi-call: %d modules" % len(info["multi"]))
        if info["uncalled"]:
            extra.append("uncalled: %d" % info["uncalled"])
        if info["functional"]:
            extra.append("functional_matmul_macs: %d" % info["functional"])
        if info["unsupported"]:
            extra.append("uncounted ops: %s" % info["unsupported"])
        print("%-20s params=%-11d macs=%-13d %6.1fs%s%s" % (
            w, info["params"], info["macs"], info["sec"], flag,
            ("  [" + "; ".join(extra) + "]") if extra else ""), flush=True)
    if mismatches:
        print("published num_params mismatch: %s" % ", ".join(mismatches))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
