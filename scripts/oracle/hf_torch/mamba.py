"""Mamba and Mamba-2 in plain torch under `transformers`' module names. The selective scan runs as the recurrence of
transformers' reference path: per step the state update h ← exp(Δ·A)·h + Δ·B·x (torch.addcmul, one MAC per state
value), the readout C·h (torch.matmul) and, after the loop, the skip D·x (torch.addcmul)."""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from .common import LMHead, RMSNorm, arch, get, lin, run

MAMBA = dict(vocab_size=50280, hidden_size=768, state_size=16, num_hidden_layers=32, expand=2, conv_kernel=4, use_bias=False, use_conv_bias=True,
             time_step_rank="auto", tie_word_embeddings=True)
MAMBA2 = dict(vocab_size=32768, hidden_size=4096, state_size=128, num_hidden_layers=64, num_heads=128, head_dim=64, expand=2, conv_kernel=4, n_groups=8,
              use_bias=False, use_conv_bias=True, tie_word_embeddings=False)


def scan(x, dt, B, C, A_log, D, dt_bias=None, heads=0, groups=1):
    """x [N, L, I]; dt [N, L, I] (Mamba) or [N, L, heads]; B, C [N, L, groups·S]. Returns y [N, L, I]."""
    n, l, inner = x.shape
    if not heads:
        dt = F.softplus(dt)
        A = -torch.exp(A_log)                                   # [I, S]
        dA = torch.exp(A[None, None] * dt[..., None])           # [N, L, I, S]
        dBx = dt[..., None] * B[:, :, None, :] * x[..., None]   # [N, L, I, S]
        h = torch.zeros(n, inner, A.shape[1])
        ys = []
        for t in range(l):
            h = torch.addcmul(dBx[:, t], dA[:, t], h)
            ys.append(torch.matmul(h, C[:, t, :, None])[..., 0])
        return torch.addcmul(torch.stack(ys, dim=1), x, D)
    p, s = inner // heads, B.shape[-1] // groups
    xh = x.view(n, l, heads, p)
    dt = F.softplus(dt + dt_bias)                               # [N, L, H]
    dA = torch.exp(dt * -torch.exp(A_log))                      # [N, L, H]
    per = heads // groups
    Bh = B.view(n, l, groups, s).repeat_interleave(per, dim=2)  # [N, L, H, S]
    Ch = C.view(n, l, groups, s).repeat_interleave(per, dim=2)
    dBx = (dt[..., None] * xh)[..., None] * Bh[:, :, :, None, :]  # [N, L, H, P, S]
    h = torch.zeros(n, heads, p, s)
    ys = []
    for t in range(l):
        h = torch.addcmul(dBx[:, t], dA[:, t, :, None, None], h)
        ys.append(torch.matmul(h, Ch[:, t, :, :, None])[..., 0])  # [N, H, P]
    y = torch.stack(ys, dim=1)                                   # [N, L, H, P]
    return torch.addcmul(y, xh, D[:, None]).reshape(n, l, inner)


class MambaMixer(nn.Module):
    def __init__(self, h, inner, state, rank, kernel, bias, conv_bias, dev):
        super().__init__()
        self.conv1d = nn.Conv1d(inner, inner, kernel, groups=inner, padding=kernel - 1, bias=conv_bias, device=dev)
        self.act = nn.SiLU()
        self.in_proj = lin(h, 2 * inner, bias, dev)
        self.x_proj = lin(inner, rank + 2 * state, False, dev)
        self.dt_proj = lin(rank, inner, True, dev)
        self.A_log = nn.Parameter(torch.log(torch.arange(1, state + 1, dtype=torch.float32, device=dev)).expand(inner, -1).contiguous())
        self.D = nn.Parameter(torch.ones(inner, device=dev))
        self.out_proj = lin(inner, h, bias, dev)
        self.sizes = (rank, state)

    def forward(self, x):
        n, l, _ = x.shape
        hidden, gate = self.in_proj(x).transpose(1, 2).chunk(2, dim=1)
        hidden = self.act(self.conv1d(hidden)[..., :l]).transpose(1, 2)   # [N, L, I]
        rank, state = self.sizes
        dt, B, C = self.x_proj(hidden).split([rank, state, state], dim=-1)
        y = scan(hidden, self.dt_proj(dt), B, C, self.A_log, self.D)
        return self.out_proj(y * self.act(gate.transpose(1, 2)))


class GatedRMSNorm(nn.Module):
    def __init__(self, dim, dev):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim, device=dev))

    def forward(self, x, gate):
        x = x * F.silu(gate)
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-6) * self.weight


class Mamba2Mixer(nn.Module):
    def __init__(self, h, inner, state, heads, groups, kernel, bias, conv_bias, dev):
        super().__init__()
        conv = inner + 2 * groups * state
        self.conv1d = nn.Conv1d(conv, conv, kernel, groups=conv, padding=kernel - 1, bias=conv_bias, device=dev)
        self.act = nn.SiLU()
        self.in_proj = lin(h, inner + conv + heads, bias, dev)
        self.dt_bias = nn.Parameter(torch.ones(heads, device=dev))
        self.A_log = nn.Parameter(torch.log(torch.arange(1, heads + 1, dtype=torch.float32, device=dev)))
        self.D = nn.Parameter(torch.ones(heads, device=dev))
        self.norm = GatedRMSNorm(inner, dev)
        self.out_proj = lin(inner, h, bias, dev)
        self.sizes = (inner, conv, heads, groups, state)

    def forward(self, x):
        l = x.shape[1]
        inner, conv, heads, groups, state = self.sizes
        gate, xbc, dt = self.in_proj(x).split([inner, conv, heads], dim=-1)
        xbc = self.act(self.conv1d(xbc.transpose(1, 2))[..., :l]).transpose(1, 2)
        hidden, B, C = xbc.split([inner, groups * state, groups * state], dim=-1)
        y = scan(hidden, dt, B, C, self.A_log, self.D, self.dt_bias, heads, groups)
        return self.out_proj(self.norm(y, gate))


class Block(nn.Module):
    def __init__(self, h, mixer, dev):
        super().__init__()
        self.norm, self.mixer = RMSNorm(h, dev), mixer

    def forward(self, x):
        return x + self.mixer(self.norm(x))


class Backbone(nn.Module):
    def __init__(self, vocab, h, layers, dev):
        super().__init__()
        self.embeddings = nn.Embedding(vocab, h, device=dev)
        self.layers = nn.ModuleList(layers)
        self.norm_f = RMSNorm(h, dev)

    def forward(self, ids):
        return self.norm_f(run(self.layers, self.embeddings(ids)))


def build(cfg, dev):
    two = cfg["model_type"] == "mamba2"
    defaults = MAMBA2 if two else MAMBA
    g = lambda k: get(cfg, k, defaults.get(k))
    h = g("hidden_size")
    inner = int(g("expand") * h)
    if two:
        make = lambda: Mamba2Mixer(h, inner, g("state_size"), g("num_heads"), g("n_groups"), g("conv_kernel"), g("use_bias"), g("use_conv_bias"), dev)
    else:
        rank = math.ceil(h / 16) if g("time_step_rank") == "auto" else g("time_step_rank")
        make = lambda: MambaMixer(h, inner, g("state_size"), rank, g("conv_kernel"), g("use_bias"), g("use_conv_bias"), dev)
    base = Backbone(g("vocab_size"), h, [Block(h, make(), dev) for _ in range(g("num_hidden_layers"))], dev)
    if not arch(cfg, "ForCausalLM").endswith("ForCausalLM"):
        return base
    return LMHead("backbone", base, "lm_head", h, g("vocab_size"), g("tie_word_embeddings"), base.embeddings, dev=dev)


BUILDERS = {"mamba": build, "mamba2": build}


class Scan(nn.Module):
    """The scan alone, with its parameters: nncalc's `selective_scan` op."""

    def __init__(self, inner, state, heads=0, groups=1):
        super().__init__()
        if heads:
            self.dt_bias = nn.Parameter(torch.ones(heads))
        self.A_log = nn.Parameter(torch.rand(heads or inner, *([] if heads else [state])))
        self.D = nn.Parameter(torch.ones(heads or inner))
        self.heads, self.groups = heads, groups

    def forward(self, x, dt, B, C):
        return scan(x, dt, B, C, self.A_log, self.D, getattr(self, "dt_bias", None), self.heads, self.groups)


def op_cases():
    from .measure import module_case
    return [
        module_case("selective_scan", {"state_size": 4}, Scan(6, 4), [[2, 5, 6], [2, 5, 6], [2, 5, 4], [2, 5, 4]]),
        module_case("selective_scan", {"state_size": 3, "num_heads": 4, "n_groups": 2}, Scan(8, 3, 4, 2), [[2, 5, 8], [2, 5, 4], [2, 5, 6], [2, 5, 6]]),
        module_case("selective_scan", {"state_size": 8, "num_heads": 2}, Scan(6, 8, 2, 1), [[1, 3, 6], [1, 3, 2], [1, 3, 8], [1, 3, 8]]),
    ]


# ---------------------------------------------------------------- configs

REAL = {
    "mamba-130m": {"architectures": ["MambaForCausalLM"], "model_type": "mamba", "conv_kernel": 4, "expand": 2, "hidden_act": "silu", "hidden_size": 768,
                   "intermediate_size": 1536, "num_hidden_layers": 24, "state_size": 16, "time_step_rank": 48, "use_bias": False, "use_conv_bias": True,
                   "vocab_size": 50280},
    "mamba-codestral-7b": {"architectures": ["Mamba2ForCausalLM"], "model_type": "mamba2", "conv_kernel": 4, "expand": 2, "head_dim": 64, "hidden_act": "silu",
                           "hidden_size": 4096, "n_groups": 8, "num_heads": 128, "num_hidden_layers": 64, "state_size": 128, "tie_word_embeddings": False,
                           "use_bias": False, "use_conv_bias": True, "vocab_size": 32768},
}

IDS = [("ids", [7], 97)]
TINY = {
    "tiny-mamba": ({"architectures": ["MambaForCausalLM"], "model_type": "mamba", "hidden_size": 16, "state_size": 4, "num_hidden_layers": 2, "vocab_size": 97}, IDS),
    "tiny-mamba-bias": ({"architectures": ["MambaModel"], "model_type": "mamba", "hidden_size": 16, "state_size": 4, "num_hidden_layers": 2, "expand": 3,
                         "conv_kernel": 3, "time_step_rank": 5, "use_bias": True, "use_conv_bias": False, "tie_word_embeddings": False, "vocab_size": 97}, IDS),
    "tiny-mamba2": ({"architectures": ["Mamba2ForCausalLM"], "model_type": "mamba2", "hidden_size": 16, "state_size": 4, "num_heads": 4, "head_dim": 8,
                     "n_groups": 2, "num_hidden_layers": 2, "vocab_size": 97}, IDS),
}
