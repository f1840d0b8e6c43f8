#!/usr/bin/python3
"""PyTorch's own accounting of activation memory, for nncalc's memory tests.

Run ONLY with Debian's interpreter, which has PyTorch 1.13 / torchvision 0.14:

    /usr/bin/python3 scripts/oracle/memory_oracle.py > test/oracle/memory.json

For the torchvision models of MODELS (weights=None, 224x224, fp32, CPU) at batch 1 and 8 it records:

* leaf_outputs: the bytes of every leaf module's output in one eval() forward pass under no_grad, from forward
  hooks (an in-place ReLU's output is counted, as a hook sees it), by module name, and their sum;
* peak: the most bytes held at once by tensors that operators produced during that pass (the network input, the
  parameters and the buffers excluded). A TorchDispatchMode sees every operator's outputs; a storage is live from
  the operator that created it until the last tensor viewing it is released (weakref callbacks, immediate in
  CPython), so views and in-place results share their input's bytes. `peak_at` names the module running then;
* saved: what one train() forward pass with autograd keeps for backward, from
  torch.autograd.graph.saved_tensors_hooks: every saved tensor's storage counted once at its full storage size,
  parameters and buffers excluded, the input image included (the first conv saves it); split by dtype, and by the
  leaf module running when the tensor was saved (`by_module`, for tracing a difference to one op).
"""

import json
import sys
import weakref

import torch
import torch.nn as nn
import torchvision
from torch.utils._python_dispatch import TorchDispatchMode

MODELS = [
    "vgg16", "resnet50", "mobilenet_v2",
    "resnet18", "alexnet", "densenet121", "squeezenet1_0", "shufflenet_v2_x1_0", "mnasnet1_0", "mobilenet_v3_large",
    "efficientnet_b0", "regnet_y_400mf", "convnext_tiny", "vit_b_16", "swin_t",
]
BATCHES = [1, 8]


def leaves(model):
    return [(n, m) for n, m in model.named_modules() if n and not list(m.children())]


def nbytes(t):
    return t.numel() * t.element_size()


class Running:
    """The stack of leaf modules currently in their forward pass."""

    def __init__(self, model):
        self.stack = []
        self.handles = []
        for name, m in leaves(model):
            self.handles.append(m.register_forward_pre_hook(self._enter(name)))
            self.handles.append(m.register_forward_hook(self._leave))

    def _enter(self, name):
        def hook(_module, _inputs):
            self.stack.append(name)

        return hook

    def _leave(self, _module, _inputs, _output):
        self.stack.pop()

    def top(self):
        return self.stack[-1] if self.stack else "(functional)"

    def remove(self):
        for h in self.handles:
            h.remove()


class LiveSet(TorchDispatchMode):
    """Tracks the bytes of storages created by operators until every tensor using them is gone."""

    def __init__(self, known, running):
        super().__init__()
        self.known = known  # storage pointers that existed before the pass (parameters, buffers, input)
        self.running = running
        self.refs = {}  # storage pointer -> number of live tensors
        self.size = {}
        self.live = 0
        self.peak = 0
        self.peak_at = None

    def _release(self, ptr):
        self.refs[ptr] -= 1
        if self.refs[ptr] == 0:
            self.live -= self.size.pop(ptr)
            del self.refs[ptr]

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        for t in out if isinstance(out, (tuple, list)) else [out]:
            if not isinstance(t, torch.Tensor):
                continue
            ptr = t.storage().data_ptr()
            if ptr in self.known or ptr == 0:
                continue
            if ptr not in self.refs:
                self.refs[ptr] = 0
                self.size[ptr] = t.storage().nbytes()
                self.live += self.size[ptr]
            self.refs[ptr] += 1
            weakref.finalize(t, self._release, ptr)
        if self.live > self.peak:
            self.peak = self.live
            self.peak_at = self.running.top()
        return out


def storages(model):
    return {t.storage().data_ptr() for t in list(model.parameters()) + list(model.buffers())}


def measure(name, batch):
    torch.manual_seed(0)
    model = getattr(torchvision.models, name)(weights=None)
    x = torch.randn(batch, 3, 224, 224)

    # Inference: leaf outputs and the live peak.
    model.eval()
    outputs = {}
    def record(name):
        def hook(_module, _inputs, output):
            outputs[name] = outputs.get(name, 0) + nbytes(output)

        return hook

    hooks = [m.register_forward_hook(record(n)) for n, m in leaves(model)]
    running = Running(model)
    known = storages(model) | {x.storage().data_ptr()}
    with torch.no_grad():
        mode = LiveSet(known, running)
        with mode:
            y = model(x)
        del y
    for h in hooks:
        h.remove()
    running.remove()

    # Training: what autograd saves.
    model.train()
    params = storages(model)
    saved = {}
    by_dtype = {}
    by_module = {}
    running = Running(model)

    def pack(t):
        ptr = t.storage().data_ptr()
        if ptr not in params and ptr not in saved:
            saved[ptr] = t.storage().nbytes()
            key = str(t.dtype).replace("torch.", "")
            by_dtype[key] = by_dtype.get(key, 0) + saved[ptr]
            m = running.top()
            by_module[m] = by_module.get(m, 0) + saved[ptr]
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        loss = model(x).sum()
    del loss
    running.remove()

    return {
        "model": name,
        "batch": batch,
        "input": [batch, 3, 224, 224],
        "leaf_outputs": outputs,
        "leaf_outputs_sum": sum(outputs.values()),
        "peak": mode.peak,
        "peak_at": mode.peak_at,
        "saved": sum(saved.values()),
        "saved_by_dtype": by_dtype,
        "saved_by_module": by_module,
    }


def main():
    names = sys.argv[1:] or MODELS
    cases = [measure(n, b) for n in names for b in BATCHES]
    # One case a line, compactly: the file holds every leaf module of 15 models.
    out = sys.stdout
    out.write('{"torch": %s, "torchvision": %s, "note": %s, "cases": [\n' % (
        json.dumps(torch.__version__), json.dumps(torchvision.__version__),
        json.dumps("fp32, CPU, 224x224, weights=None; written by scripts/oracle/memory_oracle.py")))
    out.write(",\n".join(json.dumps(c, separators=(",", ":")) for c in cases))
    out.write("\n]}\n")


if __name__ == "__main__":
    main()
