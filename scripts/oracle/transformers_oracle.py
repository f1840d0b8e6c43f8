#!/usr/bin/python3
"""Reference parameter counts and MACs of Hugging Face transformers, for nncalc's tests.

Run with Debian's interpreter (PyTorch 1.13; the `transformers` package is not needed):

    /usr/bin/python3 scripts/oracle/transformers_oracle.py

Writes test/oracle/transformers.json (whole models) and test/oracle/transformers-ops.json (single layers of the
ops the families brought: multi-head latent attention, the selective scan, contrastive logits, disentangled
attention).

The models are written in hf_torch/ in plain torch under the module names `transformers` gives them, one module per
group of families, each reading a config dict with the defaults of the family's `transformers` config class. Rotary
embeddings, ALiBi, dropout, masks and bucket functions are left out: they hold no parameters and do no matrix
multiplies.

Two kinds of entries:

* "real": the zoo's published configs. The models are built on the meta device, which allocates no memory, so
  even DeepSeek-V3 and Llama-2-70B are built whole. `params` is sum(p.numel() for p in model.parameters())
  (shared tensors once). `params_by_name` lists every parameter outside the repeated layers 1, 2, …, so it stays
  small; layer 0 stands for the others. Routed experts 1, 2, … of a layer are summed under `experts.*`. MoE models'
  `active` counts everything outside the routed experts plus top_k experts of each layer.
* "tiny": small configs that exercise each option. These also run one forward pass on the CPU with batch 2. A
  TorchFunctionMode sees every F.linear, matmul, mm, bmm, addmm, conv1d and conv2d (MACs = output elements × the
  contracted dimension) and addcmul (one MAC per output element: the selective scan's state update and skip),
  attributed to the innermost module running (forward pre-hooks keep the stack). `macs_by_module` lists them;
  `output` is the shape of the first output; `input` and `extra_inputs` the shapes fed.
"""

import json
import os
import re
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from hf_torch import classic, configs_decoders, configs_encoders, configs_vision, deepseek, llama_like, mamba, seq2seq  # noqa: E402
from hf_torch.configs_classic import REAL as CLASSIC_REAL, TINY as CLASSIC_TINY  # noqa: E402
from hf_torch.measure import count_macs, params_of  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "test", "oracle", "transformers.json")
OPS_OUT = os.path.join(ROOT, "test", "oracle", "transformers-ops.json")
GROUPS = [classic, configs_decoders, llama_like, deepseek, mamba, configs_encoders, seq2seq, configs_vision]
BUILDERS = {k: v for g in GROUPS for k, v in g.BUILDERS.items()}
REAL = {**CLASSIC_REAL, **{k: v for g in GROUPS for k, v in getattr(g, "REAL", {}).items()}}
TINY = {**CLASSIC_TINY, **{k: v for g in GROUPS for k, v in getattr(g, "TINY", {}).items()}}


def build(cfg, dev):
    return BUILDERS[cfg["model_type"]](cfg, dev)


# ---------------------------------------------------------------- measuring

# Parameters of layers 1, 2, … of the repeated stacks, and routed experts 1, 2, …, summarised in the real models' lists.
LATER_LAYERS = re.compile(r"(^|\.)(encoder\.layer|transformer\.layer|h|layers|block|blocks)\.[1-9][0-9]*\.")
LATER_EXPERTS = re.compile(r"\.experts\.[1-9][0-9]*\.")
EXPERT = re.compile(r"\.experts\.([0-9]+)\.")


def real(cfg):
    model = build(cfg, "meta")
    named = params_of(model)
    listed = {}
    for n, k in named:
        if LATER_LAYERS.search(n):
            continue
        key = LATER_EXPERTS.sub(".experts.*.", n)
        listed[key] = listed.get(key, 0) + k
    entry = {"kind": "real", "config": cfg, "params": sum(k for _, k in named), "params_by_name": listed}
    top_k = getattr(model, "moe_top_k", None)
    if top_k is not None:
        entry["active"] = sum(k for n, k in named if not (EXPERT.search(n) and int(EXPERT.search(n).group(1)) >= top_k))
    return entry


def make_input(spec, batch):
    kind, shape = spec[0], [batch, *spec[1]]
    return torch.randint(0, spec[2], shape) if kind == "ids" else torch.randn(shape)


def tiny(cfg, inputs, batch=2):
    """`inputs`: ("ids", shape, vocab) or ("float", shape) per forward argument, shapes without the batch."""
    torch.manual_seed(0)
    model = build(cfg, "cpu").eval()
    args = [make_input(s, batch) for s in inputs]
    out, macs = count_macs(model, args)
    out = out[0] if isinstance(out, (tuple, list)) else out
    named = params_of(model)
    entry = {"kind": "tiny", "config": cfg, "input": list(args[0].shape), "params": sum(k for _, k in named),
             "params_by_name": dict(named), "macs": sum(macs.values()), "macs_by_module": {k: v for k, v in macs.items() if v},
             "output": list(out.shape)}
    if len(args) > 1:
        entry["extra_inputs"] = [list(a.shape) for a in args[1:]]
    return entry


def tiny_inputs(cfg, spec):
    """A TINY entry's inputs: a list as tiny() takes it, or the classic (seq[, decoder_seq]) token lengths."""
    if isinstance(spec[0], list):
        return spec[0]
    vocab = cfg["vocab_size"]
    return [("ids", [s], vocab) for s in spec]


def main():
    models = {}
    only = sys.argv[1:]
    for name, cfg in REAL.items():
        if only and not any(o in name for o in only):
            continue
        models[name] = real(cfg)
        print(f"{name:28} params {models[name]['params']:>16,}" + (f"  active {models[name]['active']:,}" if "active" in models[name] else ""))
    for name, (cfg, *spec) in TINY.items():
        if only and not any(o in name for o in only):
            continue
        models[name] = tiny(cfg, tiny_inputs(cfg, spec))
        print(f"{name:28} params {models[name]['params']:>16,}  macs {models[name]['macs']:,}")
    if only:
        print("(a subset: nothing written)")
        return
    cases = [c for g in GROUPS if hasattr(g, "op_cases") for c in g.op_cases()]
    for path, key, data in [(OUT, "models", models), (OPS_OUT, "cases", cases)]:
        with open(path, "w") as f:
            json.dump({"generator": "scripts/oracle/transformers_oracle.py", "torch": torch.__version__, key: data}, f, indent=1, sort_keys=False)
            f.write("\n")
        print(f"wrote {os.path.relpath(path, ROOT)} ({os.path.getsize(path):,} bytes)")


if __name__ == "__main__":
    main()
