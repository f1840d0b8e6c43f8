#!/usr/bin/python3
"""Reference parameter counts and MACs of Hugging Face transformers, for nncalc's tests.

Run with Debian's interpreter (PyTorch 1.13; the `transformers` package is not needed):

    /usr/bin/python3 scripts/oracle/transformers_oracle.py

Writes test/oracle/transformers.json.

The models are written here in a few lines of torch each, under the module names `transformers` gives them:
BERT (BertModel, BertForMaskedLM), GPT-2 (GPT2LMHeadModel, GPT2Model), the gated-MLP decoders (Llama, Mistral,
Mixtral, Qwen2, Qwen3, Gemma, Gemma 2), Phi and T5 (T5ForConditionalGeneration, T5Model, T5EncoderModel). Each
reads a config dict with the defaults of the family's `transformers` config class. Rotary embeddings, dropout,
masks and the T5 bucket function are left out: they hold no parameters and do no matrix multiplies.

Two kinds of entries:

* "real": the zoo's published configs. The models are built on the meta device, which allocates no memory, so
  even Llama-2-70B and Mixtral-8x7B are built whole. `params` is sum(p.numel() for p in model.parameters())
  (shared tensors once). `params_by_name` lists every parameter outside the repeated layers 1, 2, …, so it stays
  small; layer 0 stands for the others. Mixtral's `active` counts everything outside the experts plus
  num_experts_per_tok experts of each layer.
* "tiny": small configs that exercise each option (GQA, biases, q/k norms, head_dim ≠ hidden/heads, experts,
  sandwich norms, gated T5, untied heads). These also run one forward pass on the CPU with batch 2. A
  TorchFunctionMode sees every F.linear, matmul, mm, bmm and addmm; MACs = output elements × the contracted
  dimension, attributed to the innermost module running (forward pre-hooks keep the stack). `macs_by_module`
  lists them; `output` is the shape of the first output.
"""

import json
import os
import re

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.overrides import TorchFunctionMode

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "test", "oracle", "transformers.json")


def get(cfg, keys, default=None):
    """The first of `keys` set (not None) in cfg, else default."""
    for k in keys if isinstance(keys, (list, tuple)) else [keys]:
        if cfg.get(k) is not None:
            return cfg[k]
    return default


def act_module(name):
    return {"relu": nn.ReLU(), "silu": nn.SiLU(), "tanh": nn.Tanh()}.get(name, nn.GELU())


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


# ---------------------------------------------------------------- BERT

class BertSelfAttention(Module):
    def __init__(self, h, heads, dev):
        super().__init__(query=nn.Linear(h, h, device=dev), key=nn.Linear(h, h, device=dev), value=nn.Linear(h, h, device=dev))
        self.heads, self.d = heads, h // heads

    def forward(self, x):
        return attend(self.query(x), self.key(x), self.value(x), self.heads, self.heads, self.d)


class BertLayer(nn.Module):
    def __init__(self, c, dev):
        super().__init__()
        h, i = c["h"], c["inter"]
        self.attention = Module(self=BertSelfAttention(h, c["heads"], dev), output=Module(dense=nn.Linear(h, h, device=dev), LayerNorm=nn.LayerNorm(h, device=dev)))
        self.intermediate = Module(dense=nn.Linear(h, i, device=dev), intermediate_act_fn=act_module(c["act"]))
        self.output = Module(dense=nn.Linear(i, h, device=dev), LayerNorm=nn.LayerNorm(h, device=dev))

    def forward(self, x):
        a = self.attention.output
        x = a.LayerNorm(x + a.dense(self.attention.self(x)))
        y = self.output.dense(self.intermediate.intermediate_act_fn(self.intermediate.dense(x)))
        return self.output.LayerNorm(x + y)


class BertModel(nn.Module):
    def __init__(self, c, dev, pooler=True):
        super().__init__()
        h = c["h"]
        self.embeddings = Module(
            word_embeddings=nn.Embedding(c["vocab"], h, device=dev),
            position_embeddings=nn.Embedding(c["positions"], h, device=dev),
            token_type_embeddings=nn.Embedding(c["types"], h, device=dev),
            LayerNorm=nn.LayerNorm(h, device=dev),
        )
        self.encoder = Module(layer=nn.ModuleList([BertLayer(c, dev) for _ in range(c["layers"])]))
        if pooler:
            self.pooler = Module(dense=nn.Linear(h, h, device=dev), activation=nn.Tanh())

    def forward(self, ids):
        e = self.embeddings
        pos = torch.arange(ids.shape[1]).expand_as(ids)
        x = e.LayerNorm(e.word_embeddings(ids) + e.position_embeddings(pos) + e.token_type_embeddings(torch.zeros_like(ids)))
        for layer in self.encoder.layer:
            x = layer(x)
        if hasattr(self, "pooler"):
            self.pooler.activation(self.pooler.dense(x[:, 0]))
        return x


class BertForMaskedLM(nn.Module):
    def __init__(self, c, dev):
        super().__init__()
        h = c["h"]
        self.bert = BertModel(c, dev, pooler=False)
        predictions = Module(transform=Module(dense=nn.Linear(h, h, device=dev), transform_act_fn=act_module(c["act"]), LayerNorm=nn.LayerNorm(h, device=dev)))
        predictions.decoder = nn.Linear(h, c["vocab"], bias=False, device=dev)
        predictions.bias = nn.Parameter(torch.zeros(c["vocab"], device=dev))
        predictions.decoder.bias = predictions.bias
        if c["tie"]:
            predictions.decoder.weight = self.bert.embeddings.word_embeddings.weight
        self.cls = Module(predictions=predictions)

    def forward(self, ids):
        t = self.cls.predictions.transform
        return self.cls.predictions.decoder(t.LayerNorm(t.transform_act_fn(t.dense(self.bert(ids)))))


def bert(cfg, dev):
    c = dict(h=get(cfg, "hidden_size"), layers=get(cfg, "num_hidden_layers"), heads=get(cfg, "num_attention_heads"),
             inter=get(cfg, "intermediate_size"), vocab=get(cfg, "vocab_size"), positions=get(cfg, "max_position_embeddings", 512),
             types=get(cfg, "type_vocab_size", 2), act=get(cfg, "hidden_act", "gelu"), tie=get(cfg, "tie_word_embeddings", True))
    arch = (cfg.get("architectures") or ["BertModel"])[0]
    return BertForMaskedLM(c, dev) if arch == "BertForMaskedLM" else BertModel(c, dev)


# ---------------------------------------------------------------- GPT-2

class Conv1D(nn.Module):
    """GPT-2's linear layer: weight [in, out]."""

    def __init__(self, nf, nx, dev):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(nx, nf, device=dev).normal_(std=0.02) if dev != "meta" else torch.empty(nx, nf, device=dev))
        self.bias = nn.Parameter(torch.zeros(nf, device=dev))

    def forward(self, x):
        return torch.addmm(self.bias, x.reshape(-1, x.shape[-1]), self.weight).view(*x.shape[:-1], -1)


class GPT2Attention(nn.Module):
    def __init__(self, h, heads, dev):
        super().__init__()
        self.c_attn, self.c_proj = Conv1D(3 * h, h, dev), Conv1D(h, h, dev)
        self.heads, self.d = heads, h // heads

    def forward(self, x):
        q, k, v = self.c_attn(x).split(x.shape[-1], dim=2)
        return self.c_proj(attend(q, k, v, self.heads, self.heads, self.d))


class GPT2Block(nn.Module):
    def __init__(self, h, inner, heads, act, dev):
        super().__init__()
        self.ln_1, self.ln_2 = nn.LayerNorm(h, device=dev), nn.LayerNorm(h, device=dev)
        self.attn = GPT2Attention(h, heads, dev)
        self.mlp = Module(c_fc=Conv1D(inner, h, dev), c_proj=Conv1D(h, inner, dev), act=act_module(act))

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp.c_proj(self.mlp.act(self.mlp.c_fc(self.ln_2(x))))


class GPT2Model(nn.Module):
    def __init__(self, c, dev):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(c["vocab"], c["h"], device=dev), nn.Embedding(c["positions"], c["h"], device=dev)
        self.h = nn.ModuleList([GPT2Block(c["h"], c["inner"], c["heads"], c["act"], dev) for _ in range(c["layers"])])
        self.ln_f = nn.LayerNorm(c["h"], device=dev)

    def forward(self, ids):
        x = self.wte(ids) + self.wpe(torch.arange(ids.shape[1]))
        for block in self.h:
            x = block(x)
        return self.ln_f(x)


class GPT2LMHeadModel(nn.Module):
    def __init__(self, c, dev):
        super().__init__()
        self.transformer = GPT2Model(c, dev)
        self.lm_head = nn.Linear(c["h"], c["vocab"], bias=False, device=dev)
        if c["tie"]:
            self.lm_head.weight = self.transformer.wte.weight

    def forward(self, ids):
        return self.lm_head(self.transformer(ids))


def gpt2(cfg, dev):
    h = get(cfg, ["n_embd", "hidden_size"])
    c = dict(h=h, layers=get(cfg, ["n_layer", "num_hidden_layers"]), heads=get(cfg, ["n_head", "num_attention_heads"]),
             inner=get(cfg, "n_inner", 4 * h), vocab=get(cfg, "vocab_size"), positions=get(cfg, ["n_positions", "max_position_embeddings"], 1024),
             act=get(cfg, "activation_function", "gelu_new"), tie=get(cfg, "tie_word_embeddings", True))
    arch = (cfg.get("architectures") or ["GPT2LMHeadModel"])[0]
    return GPT2Model(c, dev) if arch == "GPT2Model" else GPT2LMHeadModel(c, dev)


# ---------------------------------------------------------------- Llama, Mistral, Mixtral, Qwen2, Qwen3, Gemma, Gemma 2

# Per family: default key/value heads ("heads": as many as query heads), tie_word_embeddings, default head_dim,
# which biases the attention has, whether it reads mlp_bias, q/k norms, the activation key and default.
DECODERS = {
    "llama": dict(kv="heads", tie=False, head_dim=None, bias="attention_bias", mlp_bias=True, act=("hidden_act", "silu")),
    "mistral": dict(kv=8, tie=False, head_dim=None, bias="none", act=("hidden_act", "silu")),
    "mixtral": dict(kv=8, tie=False, head_dim=None, bias="none", act=("hidden_act", "silu"), moe=True),
    "qwen2": dict(kv=32, tie=False, head_dim=None, bias="qkv", act=("hidden_act", "silu")),
    "qwen3": dict(kv=32, tie=False, head_dim=128, bias="attention_bias", qk_norm=True, act=("hidden_act", "silu")),
    "gemma": dict(kv=16, tie=True, head_dim=256, bias="attention_bias", act=("hidden_activation", "gelu_pytorch_tanh")),
    "gemma2": dict(kv=4, tie=True, head_dim=256, bias="attention_bias", act=("hidden_activation", "gelu_pytorch_tanh"), sandwich=True),
}


class RMSNorm(nn.Module):
    def __init__(self, dim, dev):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim, device=dev))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-6) * self.weight


class DecoderAttention(nn.Module):
    def __init__(self, c, dev):
        super().__init__()
        h, n, k, d = c["h"], c["heads"], c["kv"], c["d"]
        self.q_proj = nn.Linear(h, n * d, bias=c["qkv_bias"], device=dev)
        self.k_proj = nn.Linear(h, k * d, bias=c["qkv_bias"], device=dev)
        self.v_proj = nn.Linear(h, k * d, bias=c["qkv_bias"], device=dev)
        self.o_proj = nn.Linear(n * d, h, bias=c["o_bias"], device=dev)
        if c["qk_norm"]:
            self.q_norm, self.k_norm = RMSNorm(d, dev), RMSNorm(d, dev)
        self.n, self.k, self.d = n, k, d

    def forward(self, x):
        q, k, v = self.q_proj(x), self.k_proj(x), self.v_proj(x)
        if hasattr(self, "q_norm"):
            q = self.q_norm(q.view(*q.shape[:-1], self.n, self.d)).flatten(-2)
            k = self.k_norm(k.view(*k.shape[:-1], self.k, self.d)).flatten(-2)
        return self.o_proj(attend(q, k, v, self.n, self.k, self.d))


class GatedMLP(nn.Module):
    def __init__(self, h, i, bias, act, dev):
        super().__init__()
        self.gate_proj, self.up_proj = nn.Linear(h, i, bias=bias, device=dev), nn.Linear(h, i, bias=bias, device=dev)
        self.down_proj = nn.Linear(i, h, bias=bias, device=dev)
        self.act_fn = act_module(act)

    def forward(self, x):
        return self.down_proj(self.act_fn(self.gate_proj(x)) * self.up_proj(x))


class SparseMoe(nn.Module):
    """Mixtral's block_sparse_moe: a router and experts w1 (gate), w3 (up), w2 (down); each token runs top_k experts."""

    def __init__(self, h, i, experts, top_k, dev):
        super().__init__()
        self.gate = nn.Linear(h, experts, bias=False, device=dev)
        self.experts = nn.ModuleList(
            [Module(w1=nn.Linear(h, i, bias=False, device=dev), w2=nn.Linear(i, h, bias=False, device=dev), w3=nn.Linear(h, i, bias=False, device=dev), act_fn=nn.SiLU()) for _ in range(experts)]
        )
        self.top_k = top_k

    def forward(self, x):
        flat = x.reshape(-1, x.shape[-1])
        weights, chosen = torch.softmax(self.gate(flat), dim=-1).topk(self.top_k, dim=-1)
        out = torch.zeros_like(flat)
        for e, expert in enumerate(self.experts):
            rows, slot = (chosen == e).nonzero(as_tuple=True)
            if len(rows):
                t = flat[rows]
                y = expert.w2(expert.act_fn(expert.w1(t)) * expert.w3(t))
                out.index_add_(0, rows, y * weights[rows, slot, None])
        return out.view_as(x)


class DecoderLayer(nn.Module):
    def __init__(self, c, dev):
        super().__init__()
        h = c["h"]
        self.input_layernorm, self.post_attention_layernorm = RMSNorm(h, dev), RMSNorm(h, dev)
        self.self_attn = DecoderAttention(c, dev)
        if c["moe"]:
            self.block_sparse_moe = SparseMoe(h, c["inter"], c["experts"], c["top_k"], dev)
        else:
            self.mlp = GatedMLP(h, c["inter"], c["mlp_bias"], c["act"], dev)
        if c["sandwich"]:
            self.pre_feedforward_layernorm, self.post_feedforward_layernorm = RMSNorm(h, dev), RMSNorm(h, dev)
        self.sandwich = c["sandwich"]

    def forward(self, x):
        ff = self.block_sparse_moe if hasattr(self, "block_sparse_moe") else self.mlp
        if self.sandwich:
            x = x + self.post_attention_layernorm(self.self_attn(self.input_layernorm(x)))
            return x + self.post_feedforward_layernorm(ff(self.pre_feedforward_layernorm(x)))
        x = x + self.self_attn(self.input_layernorm(x))
        return x + ff(self.post_attention_layernorm(x))


class DecoderModel(nn.Module):
    def __init__(self, c, dev):
        super().__init__()
        self.embed_tokens = nn.Embedding(c["vocab"], c["h"], device=dev)
        self.layers = nn.ModuleList([DecoderLayer(c, dev) for _ in range(c["layers"])])
        self.norm = RMSNorm(c["h"], dev)

    def forward(self, ids):
        x = self.embed_tokens(ids)
        for layer in self.layers:
            x = layer(x)
        return self.norm(x)


class CausalLM(nn.Module):
    def __init__(self, base, h, vocab, tie, bias, dev):
        super().__init__()
        self.model = base
        self.lm_head = nn.Linear(h, vocab, bias=bias, device=dev)
        if tie:
            self.lm_head.weight = base.embed_tokens.weight

    def forward(self, ids):
        return self.lm_head(self.model(ids))


def decoder(cfg, dev):
    fam = DECODERS[cfg["model_type"]]
    h, n = get(cfg, "hidden_size"), get(cfg, "num_attention_heads")
    attention_bias = fam["bias"] == "attention_bias" and get(cfg, "attention_bias", False)
    # An explicit null means as many key/value heads as query heads; a missing key means the class default.
    kv = n if fam["kv"] == "heads" or ("num_key_value_heads" in cfg and cfg["num_key_value_heads"] is None) else fam["kv"]
    c = dict(h=h, heads=n, kv=get(cfg, "num_key_value_heads", kv),
             d=get(cfg, "head_dim", fam["head_dim"] or h // n), layers=get(cfg, "num_hidden_layers"),
             inter=get(cfg, "intermediate_size"), vocab=get(cfg, "vocab_size"),
             qkv_bias=attention_bias or fam["bias"] == "qkv", o_bias=attention_bias,
             mlp_bias=fam.get("mlp_bias", False) and get(cfg, "mlp_bias", False), qk_norm=fam.get("qk_norm", False),
             act=get(cfg, fam["act"][0], fam["act"][1]), sandwich=fam.get("sandwich", False), moe=fam.get("moe", False),
             experts=get(cfg, "num_local_experts", 8), top_k=get(cfg, "num_experts_per_tok", 2))
    base = DecoderModel(c, dev)
    arch = (cfg.get("architectures") or ["ForCausalLM"])[0]
    if not arch.endswith("ForCausalLM"):
        return base
    return CausalLM(base, h, c["vocab"], get(cfg, "tie_word_embeddings", fam["tie"]), False, dev)


# ---------------------------------------------------------------- Phi

class PhiAttention(nn.Module):
    def __init__(self, h, n, k, d, dev):
        super().__init__()
        self.q_proj, self.k_proj, self.v_proj = nn.Linear(h, n * d, device=dev), nn.Linear(h, k * d, device=dev), nn.Linear(h, k * d, device=dev)
        self.dense = nn.Linear(n * d, h, device=dev)
        self.n, self.k, self.d = n, k, d

    def forward(self, y):
        return self.dense(attend(self.q_proj(y), self.k_proj(y), self.v_proj(y), self.n, self.k, self.d))


class PhiLayer(nn.Module):
    def __init__(self, c, dev):
        super().__init__()
        h, i = c["h"], c["inter"]
        self.input_layernorm = nn.LayerNorm(h, device=dev)
        self.self_attn = PhiAttention(h, c["heads"], c["kv"], c["d"], dev)
        self.mlp = Module(fc1=nn.Linear(h, i, device=dev), fc2=nn.Linear(i, h, device=dev), activation_fn=act_module(c["act"]))

    def forward(self, x):
        y = self.input_layernorm(x)
        return x + self.self_attn(y) + self.mlp.fc2(self.mlp.activation_fn(self.mlp.fc1(y)))


class PhiModel(nn.Module):
    def __init__(self, c, dev):
        super().__init__()
        self.embed_tokens = nn.Embedding(c["vocab"], c["h"], device=dev)
        self.layers = nn.ModuleList([PhiLayer(c, dev) for _ in range(c["layers"])])
        self.final_layernorm = nn.LayerNorm(c["h"], device=dev)

    def forward(self, ids):
        x = self.embed_tokens(ids)
        for layer in self.layers:
            x = layer(x)
        return self.final_layernorm(x)


def phi(cfg, dev):
    h, n = get(cfg, "hidden_size"), get(cfg, "num_attention_heads")
    c = dict(h=h, heads=n, kv=get(cfg, "num_key_value_heads", n), d=get(cfg, "head_dim", h // n), layers=get(cfg, "num_hidden_layers"),
             inter=get(cfg, "intermediate_size"), vocab=get(cfg, "vocab_size"), act=get(cfg, "hidden_act", "gelu_new"))
    base = PhiModel(c, dev)
    if (cfg.get("architectures") or ["PhiForCausalLM"])[0] != "PhiForCausalLM":
        return base
    return CausalLM(base, h, c["vocab"], get(cfg, "tie_word_embeddings", False), True, dev)


# ---------------------------------------------------------------- T5

class T5Attention(nn.Module):
    def __init__(self, c, relative, dev):
        super().__init__()
        inner = c["heads"] * c["d_kv"]
        self.q, self.k, self.v = (nn.Linear(c["d"], inner, bias=False, device=dev) for _ in range(3))
        self.o = nn.Linear(inner, c["d"], bias=False, device=dev)
        if relative:
            self.relative_attention_bias = nn.Embedding(c["buckets"], c["heads"], device=dev)
        self.heads, self.d_kv, self.buckets = c["heads"], c["d_kv"], c["buckets"]

    def forward(self, x, memory=None):
        m = x if memory is None else memory
        if hasattr(self, "relative_attention_bias"):
            # Bucket ids of every (query, key) pair; a stand-in for T5's bucket function (no parameters, no MACs).
            rel = (torch.arange(m.shape[1])[None, :] - torch.arange(x.shape[1])[:, None]) % self.buckets
            self.relative_attention_bias(rel)
        return self.o(attend(self.q(x), self.k(m), self.v(m), self.heads, self.heads, self.d_kv))


class T5Block(nn.Module):
    def __init__(self, c, relative, decoder, dev):
        super().__init__()
        d = c["d"]
        layer = [Module(SelfAttention=T5Attention(c, relative, dev), layer_norm=RMSNorm(d, dev))]
        if decoder:
            layer.append(Module(EncDecAttention=T5Attention(c, False, dev), layer_norm=RMSNorm(d, dev)))
        if c["gated"]:
            ff = Module(wi_0=nn.Linear(d, c["ff"], bias=False, device=dev), wi_1=nn.Linear(d, c["ff"], bias=False, device=dev), wo=nn.Linear(c["ff"], d, bias=False, device=dev), act=act_module(c["act"]))
        else:
            ff = Module(wi=nn.Linear(d, c["ff"], bias=False, device=dev), wo=nn.Linear(c["ff"], d, bias=False, device=dev), act=act_module(c["act"]))
        layer.append(Module(DenseReluDense=ff, layer_norm=RMSNorm(d, dev)))
        self.layer = nn.ModuleList(layer)

    def forward(self, x, memory=None):
        x = x + self.layer[0].SelfAttention(self.layer[0].layer_norm(x))
        if memory is not None:
            x = x + self.layer[1].EncDecAttention(self.layer[1].layer_norm(x), memory)
        last = self.layer[-1]
        y, f = last.layer_norm(x), last.DenseReluDense
        h = f.act(f.wi_0(y)) * f.wi_1(y) if hasattr(f, "wi_0") else f.act(f.wi(y))
        return x + f.wo(h)


class T5Stack(nn.Module):
    def __init__(self, c, shared, layers, decoder, dev):
        super().__init__()
        self.embed_tokens = shared
        self.block = nn.ModuleList([T5Block(c, i == 0, decoder, dev) for i in range(layers)])
        self.final_layer_norm = RMSNorm(c["d"], dev)

    def forward(self, ids, memory=None):
        x = self.embed_tokens(ids)
        for b in self.block:
            x = b(x, memory)
        return self.final_layer_norm(x)


class T5(nn.Module):
    def __init__(self, c, arch, dev):
        super().__init__()
        self.shared = nn.Embedding(c["vocab"], c["d"], device=dev)
        self.encoder = T5Stack(c, self.shared, c["layers"], False, dev)
        if arch != "T5EncoderModel":
            self.decoder = T5Stack(c, self.shared, c["decoder_layers"], True, dev)
        if arch == "T5ForConditionalGeneration":
            self.lm_head = nn.Linear(c["d"], c["vocab"], bias=False, device=dev)
            if c["tie"]:
                self.lm_head.weight = self.shared.weight

    def forward(self, ids, decoder_ids=None):
        memory = self.encoder(ids)
        if not hasattr(self, "decoder"):
            return memory
        y = self.decoder(decoder_ids, memory)
        return self.lm_head(y) if hasattr(self, "lm_head") else y


def t5(cfg, dev):
    proj = get(cfg, "feed_forward_proj", "relu")
    gated = proj.startswith("gated-")
    act = proj.split("-")[-1]
    layers = get(cfg, "num_layers")
    c = dict(d=get(cfg, "d_model"), d_kv=get(cfg, "d_kv"), ff=get(cfg, "d_ff"), heads=get(cfg, "num_heads"), layers=layers,
             decoder_layers=get(cfg, "num_decoder_layers", layers), buckets=get(cfg, "relative_attention_num_buckets", 32),
             vocab=get(cfg, "vocab_size"), gated=gated, act=act, tie=get(cfg, "tie_word_embeddings", True))
    return T5(c, (cfg.get("architectures") or ["T5ForConditionalGeneration"])[0], dev)


BUILDERS = {"bert": bert, "gpt2": gpt2, "phi": phi, "t5": t5, **{k: decoder for k in DECODERS}}


def build(cfg, dev):
    return BUILDERS[cfg["model_type"]](cfg, dev)


# ---------------------------------------------------------------- measuring

MATMULS = {"linear", "matmul", "__matmul__", "mm", "bmm", "addmm"}


class MacCounter(TorchFunctionMode):
    """Matrix-multiply MACs by the innermost module running: output elements × the contracted dimension."""

    def __init__(self):
        super().__init__()
        self.stack = []
        self.macs = {}

    def __torch_function__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        name = getattr(func, "__name__", "")
        if name in MATMULS:
            a = args[1] if name == "addmm" else args[0]
            key = self.stack[-1] if self.stack else ""
            self.macs[key] = self.macs.get(key, 0) + out.numel() * a.shape[-1]
        return out


# Parameters of layers 1, 2, … of the repeated stacks, left out of the real models' lists.
LATER_LAYERS = re.compile(r"(^|\.)(encoder\.layer|h|layers|block)\.[1-9][0-9]*\.")


def params_of(model):
    return [(n, p.numel()) for n, p in model.named_parameters()]


def real(cfg):
    named = params_of(build(cfg, "meta"))
    entry = {"kind": "real", "config": cfg, "params": sum(k for _, k in named),
             "params_by_name": {n: k for n, k in named if not LATER_LAYERS.search(n)}}
    if cfg["model_type"] == "mixtral":
        top_k = get(cfg, "num_experts_per_tok", 2)
        idle = re.compile(r"\.experts\.([0-9]+)\.")
        entry["active"] = sum(k for n, k in named if not (idle.search(n) and int(idle.search(n).group(1)) >= top_k))
    return entry


def tiny(cfg, seq, decoder_seq=None, batch=2):
    torch.manual_seed(0)
    model = build(cfg, "cpu").eval()
    counter = MacCounter()
    def leave(module, inputs, output):
        counter.stack.pop()  # a hook that returns something replaces the module's output

    for name, module in model.named_modules():
        module.register_forward_pre_hook(lambda m, i, name=name: counter.stack.append(name))
        module.register_forward_hook(leave)
    vocab = get(cfg, "vocab_size")
    ids = torch.randint(0, vocab, (batch, seq))
    args = (ids, torch.randint(0, vocab, (batch, decoder_seq))) if decoder_seq else (ids,)
    with torch.no_grad(), counter:
        out = model(*args)
    named = params_of(model)
    entry = {"kind": "tiny", "config": cfg, "input": [batch, seq], "params": sum(k for _, k in named),
             "params_by_name": dict(named), "macs": sum(counter.macs.values()),
             "macs_by_module": {k: v for k, v in counter.macs.items() if v}, "output": list(out.shape)}
    if decoder_seq:
        entry["decoder_input"] = [batch, decoder_seq]
    return entry


# ---------------------------------------------------------------- configs

# The zoo's models: the structural keys of each published config.json (huggingface.co/<repo>/config.json).
def bert_cfg(layers, h, heads, arch="BertModel"):
    return {"architectures": [arch], "model_type": "bert", "hidden_size": h, "intermediate_size": 4 * h, "max_position_embeddings": 512,
            "num_attention_heads": heads, "num_hidden_layers": layers, "type_vocab_size": 2, "vocab_size": 30522, "hidden_act": "gelu"}


def gpt2_cfg(layers, h, heads):
    return {"architectures": ["GPT2LMHeadModel"], "model_type": "gpt2", "n_embd": h, "n_head": heads, "n_layer": layers,
            "n_positions": 1024, "vocab_size": 50257}


def llama_cfg(layers, h, heads, kv, inter, vocab=32000):
    return {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": h, "intermediate_size": inter,
            "num_attention_heads": heads, "num_hidden_layers": layers, "num_key_value_heads": kv, "tie_word_embeddings": False, "vocab_size": vocab}


def t5_cfg(layers, d, heads):
    return {"architectures": ["T5ForConditionalGeneration"], "model_type": "t5", "d_ff": 4 * d, "d_kv": 64, "d_model": d,
            "num_heads": heads, "num_layers": layers, "relative_attention_num_buckets": 32, "vocab_size": 32128}


MISTRAL = {"architectures": ["MistralForCausalLM"], "model_type": "mistral", "hidden_size": 4096, "intermediate_size": 14336,
           "num_attention_heads": 32, "num_hidden_layers": 32, "num_key_value_heads": 8, "tie_word_embeddings": False, "vocab_size": 32000}

REAL = {
    "bert-base-uncased": bert_cfg(12, 768, 12),
    "bert-base-uncased-mlm": bert_cfg(12, 768, 12, "BertForMaskedLM"),
    "bert-large-uncased": bert_cfg(24, 1024, 16),
    "gpt2": gpt2_cfg(12, 768, 12),
    "gpt2-medium": gpt2_cfg(24, 1024, 16),
    "gpt2-large": gpt2_cfg(36, 1280, 20),
    "gpt2-xl": gpt2_cfg(48, 1600, 25),
    "llama-2-7b": llama_cfg(32, 4096, 32, 32, 11008),
    "llama-2-13b": llama_cfg(40, 5120, 40, 40, 13824),
    "llama-2-70b": llama_cfg(80, 8192, 64, 8, 28672),
    "llama-3-8b": llama_cfg(32, 4096, 32, 8, 14336, 128256),
    "mistral-7b": MISTRAL,
    "mixtral-8x7b": {**MISTRAL, "architectures": ["MixtralForCausalLM"], "model_type": "mixtral", "num_local_experts": 8, "num_experts_per_tok": 2},
    "qwen2-7b": {"architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "hidden_size": 3584, "intermediate_size": 18944,
                 "num_attention_heads": 28, "num_hidden_layers": 28, "num_key_value_heads": 4, "tie_word_embeddings": False, "vocab_size": 152064},
    "qwen3-8b": {"architectures": ["Qwen3ForCausalLM"], "model_type": "qwen3", "attention_bias": False, "head_dim": 128, "hidden_size": 4096,
                 "intermediate_size": 12288, "num_attention_heads": 32, "num_hidden_layers": 36, "num_key_value_heads": 8,
                 "tie_word_embeddings": False, "vocab_size": 151936},
    "gemma-2b": {"architectures": ["GemmaForCausalLM"], "model_type": "gemma", "head_dim": 256, "hidden_size": 2048, "intermediate_size": 16384,
                 "num_attention_heads": 8, "num_hidden_layers": 18, "num_key_value_heads": 1, "vocab_size": 256000},
    "gemma-7b": {"architectures": ["GemmaForCausalLM"], "model_type": "gemma", "head_dim": 256, "hidden_size": 3072, "intermediate_size": 24576,
                 "num_attention_heads": 16, "num_hidden_layers": 28, "num_key_value_heads": 16, "vocab_size": 256000},
    "gemma-2-2b": {"architectures": ["Gemma2ForCausalLM"], "model_type": "gemma2", "head_dim": 256, "hidden_size": 2304, "intermediate_size": 9216,
                   "num_attention_heads": 8, "num_hidden_layers": 26, "num_key_value_heads": 4, "vocab_size": 256000},
    "phi-2": {"architectures": ["PhiForCausalLM"], "model_type": "phi", "hidden_size": 2560, "intermediate_size": 10240, "num_attention_heads": 32,
              "num_hidden_layers": 32, "num_key_value_heads": 32, "tie_word_embeddings": False, "vocab_size": 51200},
    "t5-small": t5_cfg(6, 512, 8),
    "t5-base": t5_cfg(12, 768, 12),
}

# Small configs, one or more per option; missing keys take the family defaults.
TINY = {
    "tiny-bert": ({"architectures": ["BertModel"], "model_type": "bert", "hidden_size": 32, "intermediate_size": 48, "max_position_embeddings": 20,
                   "num_attention_heads": 4, "num_hidden_layers": 2, "type_vocab_size": 3, "vocab_size": 99}, 7),
    "tiny-bert-mlm": ({"architectures": ["BertForMaskedLM"], "model_type": "bert", "hidden_size": 32, "intermediate_size": 48,
                       "max_position_embeddings": 20, "num_attention_heads": 4, "num_hidden_layers": 2, "vocab_size": 99}, 7),
    "tiny-gpt2": ({"architectures": ["GPT2LMHeadModel"], "model_type": "gpt2", "n_embd": 24, "n_head": 3, "n_layer": 2, "n_positions": 16,
                   "vocab_size": 101}, 9),
    "tiny-gpt2-model": ({"architectures": ["GPT2Model"], "model_type": "gpt2", "n_embd": 24, "n_head": 3, "n_layer": 2, "n_inner": 40,
                         "n_positions": 16, "vocab_size": 101}, 9),
    "tiny-llama-bias": ({"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 32, "intermediate_size": 56,
                         "num_attention_heads": 4, "num_key_value_heads": 2, "num_hidden_layers": 2, "vocab_size": 97,
                         "attention_bias": True, "mlp_bias": True}, 9),
    "tiny-llama-model": ({"architectures": ["LlamaModel"], "model_type": "llama", "hidden_size": 32, "intermediate_size": 56,
                          "num_attention_heads": 4, "num_hidden_layers": 2, "vocab_size": 97, "tie_word_embeddings": True}, 9),
    "tiny-mistral": ({"architectures": ["MistralForCausalLM"], "model_type": "mistral", "hidden_size": 32, "intermediate_size": 56,
                      "num_attention_heads": 8, "num_hidden_layers": 2, "vocab_size": 97}, 9),
    "tiny-mixtral": ({"architectures": ["MixtralForCausalLM"], "model_type": "mixtral", "hidden_size": 32, "intermediate_size": 40,
                      "num_attention_heads": 4, "num_key_value_heads": 2, "num_hidden_layers": 2, "num_local_experts": 4,
                      "num_experts_per_tok": 2, "vocab_size": 97}, 9),
    "tiny-qwen2": ({"architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "hidden_size": 32, "intermediate_size": 56,
                    "num_attention_heads": 4, "num_key_value_heads": 2, "num_hidden_layers": 2, "vocab_size": 97}, 9),
    "tiny-qwen3": ({"architectures": ["Qwen3ForCausalLM"], "model_type": "qwen3", "hidden_size": 32, "intermediate_size": 56, "head_dim": 12,
                    "num_attention_heads": 4, "num_key_value_heads": 2, "num_hidden_layers": 2, "vocab_size": 97}, 9),
    "tiny-gemma": ({"architectures": ["GemmaForCausalLM"], "model_type": "gemma", "hidden_size": 24, "intermediate_size": 40, "head_dim": 16,
                    "num_attention_heads": 2, "num_key_value_heads": 1, "num_hidden_layers": 2, "vocab_size": 97}, 9),
    "tiny-gemma2": ({"architectures": ["Gemma2ForCausalLM"], "model_type": "gemma2", "hidden_size": 24, "intermediate_size": 40, "head_dim": 16,
                     "num_attention_heads": 4, "num_key_value_heads": 2, "num_hidden_layers": 2, "vocab_size": 97}, 9),
    "tiny-phi": ({"architectures": ["PhiForCausalLM"], "model_type": "phi", "hidden_size": 32, "intermediate_size": 64, "num_attention_heads": 4,
                  "num_hidden_layers": 2, "vocab_size": 97}, 9),
    "tiny-t5": ({"architectures": ["T5ForConditionalGeneration"], "model_type": "t5", "d_ff": 40, "d_kv": 6, "d_model": 16, "num_heads": 2,
                 "num_layers": 2, "num_decoder_layers": 3, "relative_attention_num_buckets": 8, "vocab_size": 50}, 10, 6),
    "tiny-t5-gated": ({"architectures": ["T5ForConditionalGeneration"], "model_type": "t5", "d_ff": 40, "d_kv": 8, "d_model": 16, "num_heads": 2,
                       "num_layers": 2, "feed_forward_proj": "gated-gelu", "tie_word_embeddings": False, "vocab_size": 50}, 10, 6),
    "tiny-t5-model": ({"architectures": ["T5Model"], "model_type": "t5", "d_ff": 40, "d_kv": 8, "d_model": 16, "num_heads": 2, "num_layers": 2,
                       "vocab_size": 50}, 10, 6),
    "tiny-t5-encoder": ({"architectures": ["T5EncoderModel"], "model_type": "t5", "d_ff": 40, "d_kv": 8, "d_model": 16, "num_heads": 2,
                         "num_layers": 2, "vocab_size": 50}, 10),
}


def main():
    models = {}
    for name, cfg in REAL.items():
        models[name] = real(cfg)
        print(f"{name:24} params {models[name]['params']:>15,}" + (f"  active {models[name]['active']:,}" if "active" in models[name] else ""))
    for name, (cfg, *seqs) in TINY.items():
        models[name] = tiny(cfg, *seqs)
        print(f"{name:24} params {models[name]['params']:>15,}  macs {models[name]['macs']:,}")
    with open(OUT, "w") as f:
        json.dump({"generator": "scripts/oracle/transformers_oracle.py", "torch": torch.__version__, "models": models}, f, indent=1, sort_keys=False)
        f.write("\n")
    print(f"wrote {os.path.relpath(OUT, ROOT)} ({os.path.getsize(OUT):,} bytes)")


if __name__ == "__main__":
    main()
