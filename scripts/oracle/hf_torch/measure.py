"""Counting what PyTorch runs: parameters by name, and multiply-accumulates by the innermost module running."""

import torch
from torch.overrides import TorchFunctionMode

MATMULS = {"linear", "matmul", "__matmul__", "mm", "bmm", "addmm"}
CONVS = {"conv1d", "conv2d"}


class MacCounter(TorchFunctionMode):
    """Multiply-accumulates by the innermost module running: output elements × the contracted dimension."""

    def __init__(self):
        super().__init__()
        self.stack = []
        self.macs = {}

    def __torch_function__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        name = getattr(func, "__name__", "")
        per = None
        if name in MATMULS:
            per = (args[1] if name == "addmm" else args[0]).shape[-1]
        elif name in CONVS:
            per = args[1][0].numel()  # weight [out, in/groups, *kernel]: one output element's products
        elif name == "addcmul":
            per = 1
        if per is not None:
            key = self.stack[-1] if self.stack else ""
            self.macs[key] = self.macs.get(key, 0) + out.numel() * per
        return out


def params_of(model):
    return [(n, p.numel()) for n, p in model.named_parameters()]


def count_macs(model, args):
    """Runs model(*args) once; returns its output and the MACs by module path."""
    counter = MacCounter()

    def leave(module, inputs, output):
        counter.stack.pop()  # a hook that returns something replaces the module's output

    handles = []
    for name, module in model.named_modules():
        handles.append(module.register_forward_pre_hook(lambda m, i, name=name: counter.stack.append(name)))
        handles.append(module.register_forward_hook(leave))
    with torch.no_grad(), counter:
        out = model(*args)
    for h in handles:
        h.remove()
    return out, counter.macs


def module_case(op, attrs, module, shapes, inputs=None):
    """One layer as PyTorch runs it, in the form of test/oracle/ops2.json: nncalc's op `op` with `attrs` on `shapes`."""
    torch.manual_seed(0)
    module = module.eval()
    args = inputs if inputs is not None else [torch.randn(s) for s in shapes]
    out, macs = count_macs(module, args)
    outs = out if isinstance(out, (tuple, list)) else [out]
    params = [(n, list(p.shape)) for n, p in module.named_parameters()]
    buffers = [b for n, b in module.named_buffers() if b.is_floating_point()]
    return {"op": op, "attrs": attrs, "inputs": [list(s) for s in shapes], "outputs": [list(o.shape) for o in outs],
            "params": sum(p.numel() for p in module.parameters()), "buffers": sum(b.numel() for b in buffers),
            "weights": params, "macs": sum(macs.values())}
