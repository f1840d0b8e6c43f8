#!/usr/bin/python3
"""Generate test/oracle/random-ops.json: convolution and pooling layers with random settings, as PyTorch runs them.

Run ONLY with Debian's interpreter, which has PyTorch 1.13:

    /usr/bin/python3 scripts/oracle/random_ops_oracle.py [--seed 20261207] [--count 900]

ops_oracle.py holds hand-picked cases; this script draws settings at random from a seeded generator, so that the
shape rules are checked where nobody thought to look: odd kernels on small inputs, dilation with ceil_mode, padding
larger than PyTorch allows, groups that do not divide, windows larger than the input. Each case is run by
ops_oracle.run (the same module construction, forward pass and recorded fields), and PyTorch's rejections are kept:
nncalc must reject those too. test/fuzz/shape-rules.test.ts reads the file.
"""

import argparse
import json
import os
import random
import sys
import warnings

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_oracle import ROOT, run  # noqa: E402

OUT = os.path.join(ROOT, "test", "oracle", "random-ops.json")


def per_axis(rng, rank, lo, hi):
    """One int for every axis, or (half the time) a single int for all of them."""
    if rng.random() < 0.5:
        return rng.randint(lo, hi)
    return [rng.randint(lo, hi) for _ in range(rank)]


def spatial(rng, rank):
    """Small sizes, so that windows often reach past the input and PyTorch rejects."""
    hi = {1: 40, 2: 20, 3: 9}[rank]
    return [rng.randint(1, hi) for _ in range(rank)]


def conv(rng):
    rank = rng.randint(1, 3)
    groups = rng.choice([1, 1, 1, 2, 3, 4])
    c_in = groups * rng.randint(1, 3) if rng.random() < 0.9 else rng.randint(1, 8)
    out = groups * rng.randint(1, 4) if rng.random() < 0.9 else rng.randint(1, 8)
    attrs = {"out": out, "kernel": per_axis(rng, rank, 1, 5)}
    if rng.random() < 0.6:
        attrs["stride"] = per_axis(rng, rank, 1, 3)
    r = rng.random()
    if r < 0.1:
        attrs["padding"] = "same"
    elif r < 0.15:
        attrs["padding"] = "valid"
    elif r < 0.75:
        attrs["padding"] = per_axis(rng, rank, 0, 3)
    if rng.random() < 0.4:
        attrs["dilation"] = per_axis(rng, rank, 1, 3)
    if groups > 1:
        attrs["groups"] = groups
    if rng.random() < 0.3:
        attrs["bias"] = False
    return "conv%dd" % rank, attrs, [1, c_in] + spatial(rng, rank)


def pool(rng):
    rank = rng.randint(1, 3)
    family = rng.choice(["maxpool", "avgpool"])
    attrs = {"kernel": per_axis(rng, rank, 1, 4)}
    if rng.random() < 0.7:
        attrs["stride"] = per_axis(rng, rank, 1, 3)
    if rng.random() < 0.6:
        attrs["padding"] = per_axis(rng, rank, 0, 2)
    if family == "maxpool" and rng.random() < 0.4:
        attrs["dilation"] = per_axis(rng, rank, 1, 3)
    if rng.random() < 0.5:
        attrs["ceil_mode"] = True
    if family == "avgpool" and rng.random() < 0.3:
        attrs["count_include_pad"] = False
    return "%s%dd" % (family, rank), attrs, [1, rng.randint(1, 4)] + spatial(rng, rank)


def adaptive(rng):
    rank = rng.randint(1, 3)
    family = rng.choice(["adaptive_avgpool", "adaptive_maxpool"])
    out = per_axis(rng, rank, 1, 7)
    return "%s%dd" % (family, rank), {"output": out}, [1, rng.randint(1, 4)] + spatial(rng, rank)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=20261207)
    parser.add_argument("--count", type=int, default=900)
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    torch.manual_seed(0)
    rng = random.Random(args.seed)
    makers = [conv, conv, pool, pool, adaptive]
    cases = []
    for _ in range(args.count):
        op, attrs, shape = rng.choice(makers)(rng)
        c = run(op, attrs, shape)
        c.pop("module", None)  # the repr is for reading; the fields carry the settings
        cases.append(c)
    with open(OUT, "w") as f:
        f.write('{"torch": %s, "generator": %s, "seed": %d, "cases": [\n' % (
            json.dumps(torch.__version__), json.dumps("scripts/oracle/random_ops_oracle.py"), args.seed))
        f.write(",\n".join(json.dumps(c, separators=(",", ":")) for c in cases))
        f.write("\n]}\n")
    errors = sum(1 for c in cases if "error" in c)
    print("%d cases (%d rejected by PyTorch) -> %s" % (len(cases), errors, os.path.relpath(OUT, ROOT)))


if __name__ == "__main__":
    main()
