"""Pieces every family of the transformers oracle is built from: config readers, attention as explicit matmuls,
RMSNorm, a LayerNorm without bias (PyTorch 1.13's has none), GPT-2's Conv1D, nn.Module with named children."""

import torch
import torch.nn as nn
import torch.nn.functional as F

def get(cfg, keys, default=None):
    """The first of `keys` set (not None) in cfg, else default."""
    for k in keys if isinstance(keys, (list, tuple)) else [keys]:
        if cfg.get(k) is not None:
            return cfg[k]
    return default


def act_module(name):
    return {"relu": nn.ReLU(), "silu": nn.SiLU(), "swish": nn.SiLU(), "tanh": nn.Tanh(), "sigmoid": nn.Sigmoid()}.get(name, nn.GELU())


def attend(q, k, v, heads, kv_heads, d):
    """Scaled dot-product attention on [N, L, h·d] projections: QKᵀ and AV as matmuls."""
    n, l, _ = q.shape
    s = k.shape[1]
    q = q.view(n, l, heads, d).transpose(1, 2)
    k = k.view(n, s, kv_heads, d).transpose(1, 2).repeat_interleave(heads // kv_heads, dim=1)
    v = v.view(n, s, kv_heads, d).transpose(1, 2).repeat_interleave(heads // kv_heads, dim=1)
    p = torch.softmax(torch.matmul(q, k.transpose(-1, -2)) / d ** 0.5, dim=-1)
    return torch.matmul(p, v).transpose(1, 2).reshape(n, l, heads * d)


class Module(nn.Module):
    """nn.Module that takes its children from keyword arguments, so the names read like `transformers`'."""

    def __init__(this, **children):  # `this`, so that a child may be called `self` (BertAttention.self)
        super().__init__()
        for k, m in children.items():
            setattr(this, k, m)


class RMSNorm(nn.Module):
    def __init__(self, dim, dev):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim, device=dev))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-6) * self.weight


class Conv1D(nn.Module):
    """GPT-2's linear layer: weight [in, out]."""

    def __init__(self, nf, nx, dev):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(nx, nf, device=dev).normal_(std=0.02) if dev != "meta" else torch.empty(nx, nf, device=dev))
        self.bias = nn.Parameter(torch.zeros(nf, device=dev))

    def forward(self, x):
        return torch.addmm(self.bias, x.reshape(-1, x.shape[-1]), self.weight).view(*x.shape[:-1], -1)


class GatedMLP(nn.Module):
    def __init__(self, h, i, bias, act, dev):
        super().__init__()
        self.gate_proj, self.up_proj = nn.Linear(h, i, bias=bias, device=dev), nn.Linear(h, i, bias=bias, device=dev)
        self.down_proj = nn.Linear(i, h, bias=bias, device=dev)
        self.act_fn = act_module(act)

    def forward(self, x):
        return self.down_proj(self.act_fn(self.gate_proj(x)) * self.up_proj(x))


class CausalLM(nn.Module):
    def __init__(self, base, h, vocab, tie, bias, dev):
        super().__init__()
        self.model = base
        self.lm_head = nn.Linear(h, vocab, bias=bias, device=dev)
        if tie:
            self.lm_head.weight = base.embed_tokens.weight

    def forward(self, ids):
        return self.lm_head(self.model(ids))


def lin(i, o, bias, dev):
    return nn.Linear(i, o, bias=bias, device=dev)


class LayerNormNoBias(nn.Module):
    """LayerNorm with a weight and no bias (MPT, StableLM's per-head norms): PyTorch 1.13's nn.LayerNorm cannot drop only the bias."""

    def __init__(self, dim, dev):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim, device=dev))

    def forward(self, x):
        return F.layer_norm(x, (x.shape[-1],), self.weight, None)


def arch(cfg, default):
    """The class a config asks for: architectures[0], else the family's default."""
    return (cfg.get("architectures") or [default])[0]


def run(layers, x, *args):
    for layer in layers:
        x = layer(x, *args)
    return x


class LMHead(nn.Module):
    """A base model under `prefix` and an output projection named `head`, tied to the base's token table when asked."""

    def __init__(self, prefix, base, head, h, vocab, tie, embed, bias=False, dev="meta"):
        super().__init__()
        setattr(self, prefix, base)
        setattr(self, head, nn.Linear(h, vocab, bias=bias, device=dev))
        if tie:
            getattr(self, head).weight = embed.weight
        self.names = (prefix, head)

    def forward(self, *inputs):
        return getattr(self, self.names[1])(getattr(self, self.names[0])(*inputs))


def split_heads_attend(qkv, sizes, heads, kv_heads, d):
    """Attention on a fused q‖k‖v projection cut into `sizes`."""
    q, k, v = qkv.split(sizes, dim=-1)
    return attend(q, k, v, heads, kv_heads, d)


def route(flat, logits, experts, top_k):
    """A mixture of experts on tokens [T, h]: softmax over the router's logits, top_k experts per token, their outputs
    weighted and summed; each expert runs on its tokens only, so the MACs are those of top_k experts per token."""
    weights, chosen = torch.softmax(logits, dim=-1).topk(top_k, dim=-1)
    out = torch.zeros_like(flat)
    for e, expert in enumerate(experts):
        rows, slot = (chosen == e).nonzero(as_tuple=True)
        if len(rows):
            out.index_add_(0, rows, expert(flat[rows]) * weights[rows, slot, None])
    return out


class Attention(nn.Module):
    """Multi-head attention with its four projections under the family's names (q, k, v, out) and biases as asked
    (`k_bias` apart: Whisper's key projection has none); `memory` gives the keys and values of cross-attention."""

    def __init__(self, h, heads, dev, names=("q_proj", "k_proj", "v_proj", "out_proj"), bias=True, k_bias=None):
        super().__init__()
        q, k, v, o = names
        for name, b in ((k, bias if k_bias is None else k_bias), (v, bias), (q, bias), (o, bias)):
            setattr(self, name, lin(h, h, b, dev))
        self.names, self.heads = names, heads

    def forward(self, x, memory=None):
        q, k, v, o = (getattr(self, n) for n in self.names)
        m = x if memory is None else memory
        return o(attend(q(x), k(m), v(m), self.heads, self.heads, x.shape[-1] // self.heads))
