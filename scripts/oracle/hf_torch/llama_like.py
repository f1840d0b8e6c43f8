"""More decoders built like Llama, in plain torch under `transformers`' module names, each reading the defaults of its
config class: Qwen2-MoE and Qwen3-MoE (sparse layers, shared expert with its gate), Gemma 3 text (sandwich norms,
q/k norms), Granite, OLMo (LayerNorms without parameters), OLMo 2 (norms after the sub-layers, q/k norms over the
whole projection), StableLM (LayerNorms, per-head q/k LayerNorms, parallel residual), StarCoder2 (LayerNorms,
biases, a plain MLP) and Phi-3 (fused qkv_proj and gate_up_proj)."""

import torch
import torch.nn as nn

from .common import GatedMLP, LayerNormNoBias, LMHead, Module, RMSNorm, act_module, arch, attend, get, lin, route, run


def norm(kind, dim, dev):
    if kind == "rms":
        return RMSNorm(dim, dev)
    if kind == "fixed":
        return nn.LayerNorm(dim, elementwise_affine=False, device=dev)
    return nn.LayerNorm(dim, device=dev)


class PerHeadLayerNorm(nn.Module):
    """StableLM's q_layernorm/k_layernorm: one LayerNorm without bias per head."""

    def __init__(self, heads, d, dev):
        super().__init__()
        self.norms = nn.ModuleList([LayerNormNoBias(d, dev) for _ in range(heads)])

    def forward(self, x):  # [N, L, heads·d]
        parts = x.view(*x.shape[:-1], len(self.norms), -1).unbind(-2)
        return torch.stack([n(p) for n, p in zip(self.norms, parts)], dim=-2).flatten(-2)


class Attention(nn.Module):
    """q, k, v, o projections (or Phi-3's fused qkv_proj), optional q/k norms of the given kind."""

    def __init__(self, c, dev):
        super().__init__()
        h, n, k, d = c["h"], c["heads"], c["kv"], c["d"]
        if c.get("fused_qkv"):
            self.qkv_proj = lin(h, (n + 2 * k) * d, False, dev)
        else:
            self.q_proj, self.k_proj, self.v_proj = lin(h, n * d, c["qkv_bias"], dev), lin(h, k * d, c["qkv_bias"], dev), lin(h, k * d, c["qkv_bias"], dev)
        self.o_proj = lin(n * d, h, c["o_bias"], dev)
        qk = c.get("qk_norm")
        if qk == "head":
            self.q_norm, self.k_norm = RMSNorm(d, dev), RMSNorm(d, dev)
        elif qk == "all":
            self.q_norm, self.k_norm = RMSNorm(n * d, dev), RMSNorm(k * d, dev)
        elif qk == "heads":
            self.q_layernorm, self.k_layernorm = PerHeadLayerNorm(n, d, dev), PerHeadLayerNorm(k, d, dev)
        self.n, self.k, self.d, self.qk = n, k, d, qk

    def forward(self, x):
        n, k, d = self.n, self.k, self.d
        if hasattr(self, "qkv_proj"):
            q, kk, v = self.qkv_proj(x).split([n * d, k * d, k * d], dim=-1)
        else:
            q, kk, v = self.q_proj(x), self.k_proj(x), self.v_proj(x)
        if self.qk == "head":
            q = self.q_norm(q.view(*q.shape[:-1], n, d)).flatten(-2)
            kk = self.k_norm(kk.view(*kk.shape[:-1], k, d)).flatten(-2)
        elif self.qk == "all":
            q, kk = self.q_norm(q), self.k_norm(kk)
        elif self.qk == "heads":
            q, kk = self.q_layernorm(q), self.k_layernorm(kk)
        return self.o_proj(attend(q, kk, v, n, k, d))


class FusedGatedMLP(nn.Module):
    """Phi-3: gate_up_proj to 2I, chunk, up · act(gate), down_proj."""

    def __init__(self, h, i, act, dev):
        super().__init__()
        self.gate_up_proj, self.down_proj, self.activation_fn = lin(h, 2 * i, False, dev), lin(i, h, False, dev), act_module(act)

    def forward(self, x):
        gate, up = self.gate_up_proj(x).chunk(2, dim=-1)
        return self.down_proj(up * self.activation_fn(gate))


class PlainMLP(nn.Module):
    """StarCoder2: c_fc, act, c_proj."""

    def __init__(self, h, i, bias, act, dev):
        super().__init__()
        self.c_fc, self.c_proj, self.act = lin(h, i, bias, dev), lin(i, h, bias, dev), act_module(act)

    def forward(self, x):
        return self.c_proj(self.act(self.c_fc(x)))


class SparseMoeBlock(nn.Module):
    """Qwen-MoE's sparse block: a router `gate`, experts, and (Qwen2-MoE) shared_expert with shared_expert_gate."""

    def __init__(self, h, experts, top_k, width, shared, act, dev):
        super().__init__()
        self.gate = lin(h, experts, False, dev)
        self.experts = nn.ModuleList([GatedMLP(h, width, False, act, dev) for _ in range(experts)])
        if shared:
            self.shared_expert, self.shared_expert_gate = GatedMLP(h, shared, False, act, dev), lin(h, 1, False, dev)
        self.top_k = top_k

    def forward(self, x):
        flat = x.reshape(-1, x.shape[-1])
        out = route(flat, self.gate(flat), self.experts, self.top_k)
        if hasattr(self, "shared_expert"):
            out = out + torch.sigmoid(self.shared_expert_gate(flat)) * self.shared_expert(flat)
        return out.view_as(x)


class Layer(nn.Module):
    def __init__(self, c, i, dev):
        super().__init__()
        h, layout, kind = c["h"], c["layout"], c["norm"]
        if layout in ("pre", "sandwich", "stablelm"):
            self.input_layernorm = norm(kind, h, dev)
        if layout in ("pre", "sandwich", "post") or (layout == "stablelm" and not c["parallel"]):
            self.post_attention_layernorm = norm(kind, h, dev)
        if layout in ("sandwich", "post"):
            self.post_feedforward_layernorm = norm(kind, h, dev)
        if layout == "sandwich":
            self.pre_feedforward_layernorm = norm(kind, h, dev)
        self.self_attn = Attention(c, dev)
        if i in c["sparse"]:
            self.mlp = SparseMoeBlock(h, c["experts"], c["top_k"], c["moe_inter"], c["shared"], c["act"], dev)
        elif c["mlp"] == "fused":
            self.mlp = FusedGatedMLP(h, c["inter"], c["act"], dev)
        elif c["mlp"] == "plain":
            self.mlp = PlainMLP(h, c["inter"], c["mlp_bias"], c["act"], dev)
        else:
            self.mlp = GatedMLP(h, c["inter"], c["mlp_bias"], c["act"], dev)
        self.layout, self.parallel = layout, c.get("parallel")

    def forward(self, x):
        if self.layout == "sandwich":
            x = x + self.post_attention_layernorm(self.self_attn(self.input_layernorm(x)))
            return x + self.post_feedforward_layernorm(self.mlp(self.pre_feedforward_layernorm(x)))
        if self.layout == "post":
            x = x + self.post_attention_layernorm(self.self_attn(x))
            return x + self.post_feedforward_layernorm(self.mlp(x))
        if self.layout == "stablelm" and self.parallel:
            y = self.input_layernorm(x)
            return x + self.self_attn(y) + self.mlp(y)
        x = x + self.self_attn(self.input_layernorm(x))
        return x + self.mlp(self.post_attention_layernorm(x))


class Model(nn.Module):
    def __init__(self, c, dev):
        super().__init__()
        self.embed_tokens = nn.Embedding(c["vocab"], c["h"], device=dev)
        self.layers = nn.ModuleList([Layer(c, i, dev) for i in range(c["layers"])])
        self.norm = norm(c["norm"], c["h"], dev)

    def forward(self, ids):
        return self.norm(run(self.layers, self.embed_tokens(ids)))


# Each family: its defaults (those of the transformers config class) and how it differs from Llama.
LLAMA = dict(vocab_size=32000, hidden_size=4096, intermediate_size=11008, num_hidden_layers=32, num_attention_heads=32, hidden_act="silu")
FAMILIES = {
    "qwen2_moe": (dict(LLAMA, vocab_size=151936, hidden_size=2048, intermediate_size=5632, num_hidden_layers=24, num_attention_heads=16,
                       num_key_value_heads=16, num_experts=60, num_experts_per_tok=4, moe_intermediate_size=1408,
                       shared_expert_intermediate_size=5632, decoder_sparse_step=1),
                  dict(norm="rms", layout="pre", bias="qkv", mlp="gated", moe="qwen2")),
    "qwen3_moe": (dict(LLAMA, vocab_size=151936, hidden_size=2048, intermediate_size=6144, num_hidden_layers=24, num_attention_heads=32,
                       num_key_value_heads=4, num_experts=128, num_experts_per_tok=8, moe_intermediate_size=768, decoder_sparse_step=1),
                  dict(norm="rms", layout="pre", bias="attention_bias", mlp="gated", moe="qwen3", qk_norm="head")),
    "gemma3_text": (dict(LLAMA, vocab_size=262208, hidden_size=2304, intermediate_size=9216, num_hidden_layers=26, num_attention_heads=8,
                         num_key_value_heads=4, head_dim=256, hidden_activation="gelu_pytorch_tanh", tie_word_embeddings=True),
                    dict(norm="rms", layout="sandwich", bias="attention_bias", mlp="gated", qk_norm="head", act="hidden_activation")),
    "granite": (dict(LLAMA), dict(norm="rms", layout="pre", bias="attention_bias", mlp="gated", mlp_bias=True)),
    "olmo": (dict(LLAMA, vocab_size=50304), dict(norm="fixed", layout="pre", bias="attention_bias", mlp="gated")),
    "olmo2": (dict(LLAMA, vocab_size=50304), dict(norm="rms", layout="post", bias="attention_bias", mlp="gated", qk_norm="all")),
    "stablelm": (dict(LLAMA, vocab_size=50304, hidden_size=2560, intermediate_size=6912, num_key_value_heads=32),
                 dict(norm="layer", layout="stablelm", bias="use_qkv_bias", mlp="gated")),
    "starcoder2": (dict(LLAMA, vocab_size=49152, hidden_size=3072, intermediate_size=12288, num_hidden_layers=30, num_attention_heads=24,
                        num_key_value_heads=2, hidden_act="gelu_pytorch_tanh", use_bias=True, tie_word_embeddings=True),
                   dict(norm="layer", layout="pre", bias="use_bias", mlp="plain")),
    "phi3": (dict(LLAMA, vocab_size=32064, hidden_size=3072, intermediate_size=8192), dict(norm="rms", layout="pre", bias="none", mlp="fused", fused_qkv=True)),
}


def build(cfg, dev):
    defaults, f = FAMILIES[cfg["model_type"]]
    g = lambda k: get(cfg, k, defaults.get(k))
    h, n = g("hidden_size"), g("num_attention_heads")
    kv = n if "num_key_value_heads" in cfg and cfg["num_key_value_heads"] is None else get(cfg, "num_key_value_heads", defaults.get("num_key_value_heads", n))
    bias = f["bias"]
    qkv_bias = {"qkv": True, "none": False, "attention_bias": g("attention_bias") or False, "use_qkv_bias": g("use_qkv_bias") or False, "use_bias": g("use_bias")}[bias]
    o_bias = (g("attention_bias") or False) if bias == "attention_bias" else (g("use_bias") if bias == "use_bias" else False)
    layers = g("num_hidden_layers")
    sparse = set()
    if f.get("moe"):
        dense = set(g("mlp_only_layers") or [])
        sparse = {i for i in range(layers) if i not in dense and g("num_experts") > 0 and (i + 1) % g("decoder_sparse_step") == 0}
    qk = f.get("qk_norm")
    if cfg["model_type"] == "stablelm" and g("qk_layernorm"):
        qk = "heads"
    act = g("hidden_activation") if f.get("act") == "hidden_activation" else g("hidden_act")
    c = dict(h=h, heads=n, kv=kv, d=g("head_dim") or h // n, layers=layers, inter=g("intermediate_size"), vocab=g("vocab_size"),
             qkv_bias=qkv_bias, o_bias=o_bias, mlp_bias=(f.get("mlp_bias") and (g("mlp_bias") or False)) or (bias == "use_bias" and g("use_bias")),
             norm=f["norm"], layout=f["layout"], mlp=f["mlp"], fused_qkv=f.get("fused_qkv"), qk_norm=qk, act=act, parallel=g("use_parallel_residual"),
             sparse=sparse, experts=g("num_experts"), top_k=g("num_experts_per_tok"), moe_inter=g("moe_intermediate_size"),
             shared=g("shared_expert_intermediate_size") if f.get("moe") == "qwen2" else 0)
    base = Model(c, dev)
    if not arch(cfg, "ForCausalLM").endswith("ForCausalLM"):
        model = base
    else:
        model = LMHead("model", base, "lm_head", h, c["vocab"], g("tie_word_embeddings") or False, base.embed_tokens, dev=dev)
    if sparse:
        model.moe_top_k = c["top_k"]
    return model


BUILDERS = {k: build for k in FAMILIES}


# ---------------------------------------------------------------- configs

# The zoo's models: the structural keys of each published config.json (huggingface.co/<repo>/config.json).
REAL = {
    "qwen1.5-moe-a2.7b": {"architectures": ["Qwen2MoeForCausalLM"], "model_type": "qwen2_moe", "decoder_sparse_step": 1, "hidden_act": "silu",
                          "hidden_size": 2048, "intermediate_size": 5632, "max_position_embeddings": 8192, "moe_intermediate_size": 1408,
                          "num_attention_heads": 16, "num_experts": 60, "num_experts_per_tok": 4, "num_hidden_layers": 24, "num_key_value_heads": 16,
                          "shared_expert_intermediate_size": 5632, "tie_word_embeddings": False, "vocab_size": 151936},
    "qwen3-30b-a3b": {"architectures": ["Qwen3MoeForCausalLM"], "model_type": "qwen3_moe", "attention_bias": False, "decoder_sparse_step": 1,
                      "head_dim": 128, "hidden_act": "silu", "hidden_size": 2048, "intermediate_size": 6144, "max_position_embeddings": 40960,
                      "mlp_only_layers": [], "moe_intermediate_size": 768, "num_attention_heads": 32, "num_experts": 128, "num_experts_per_tok": 8,
                      "num_hidden_layers": 48, "num_key_value_heads": 4, "tie_word_embeddings": False, "vocab_size": 151936},
    "gemma-3-1b-it": {"architectures": ["Gemma3ForCausalLM"], "model_type": "gemma3_text", "head_dim": 256, "hidden_activation": "gelu_pytorch_tanh",
                   "hidden_size": 1152, "intermediate_size": 6912, "max_position_embeddings": 32768, "num_attention_heads": 4, "num_hidden_layers": 26,
                   "num_key_value_heads": 1, "sliding_window": 512, "vocab_size": 262144},
    "granite-3.1-2b": {"architectures": ["GraniteForCausalLM"], "model_type": "granite", "attention_bias": False, "hidden_act": "silu", "hidden_size": 2048,
                       "intermediate_size": 8192, "max_position_embeddings": 131072, "mlp_bias": False, "num_attention_heads": 32, "num_hidden_layers": 40,
                       "num_key_value_heads": 8, "tie_word_embeddings": True, "vocab_size": 49155},
    "olmo-1b": {"architectures": ["OlmoForCausalLM"], "model_type": "olmo", "attention_bias": False, "hidden_act": "silu", "hidden_size": 2048,
                "intermediate_size": 8192, "max_position_embeddings": 2048, "num_attention_heads": 16, "num_hidden_layers": 16, "num_key_value_heads": 16,
                "tie_word_embeddings": True, "vocab_size": 50304},
    "olmo-2-7b": {"architectures": ["Olmo2ForCausalLM"], "model_type": "olmo2", "attention_bias": False, "hidden_act": "silu", "hidden_size": 4096,
                  "intermediate_size": 11008, "max_position_embeddings": 4096, "num_attention_heads": 32, "num_hidden_layers": 32, "num_key_value_heads": 32,
                  "tie_word_embeddings": False, "vocab_size": 100352},
    "stablelm-2-1.6b": {"architectures": ["StableLmForCausalLM"], "model_type": "stablelm", "hidden_act": "silu", "hidden_size": 2048,
                        "intermediate_size": 5632, "max_position_embeddings": 4096, "num_attention_heads": 32, "num_hidden_layers": 24,
                        "num_key_value_heads": 32, "qk_layernorm": False, "tie_word_embeddings": False, "use_parallel_residual": False,
                        "use_qkv_bias": True, "vocab_size": 100352},
    "stablelm-2-12b": {"architectures": ["StableLmForCausalLM"], "model_type": "stablelm", "hidden_act": "silu", "hidden_size": 5120,
                       "intermediate_size": 13824, "max_position_embeddings": 4096, "num_attention_heads": 32, "num_hidden_layers": 40,
                       "num_key_value_heads": 8, "qk_layernorm": True, "tie_word_embeddings": False, "use_parallel_residual": True,
                       "use_qkv_bias": False, "vocab_size": 100352},
    "starcoder2-3b": {"architectures": ["Starcoder2ForCausalLM"], "model_type": "starcoder2", "hidden_act": "gelu_pytorch_tanh", "hidden_size": 3072,
                      "intermediate_size": 12288, "max_position_embeddings": 16384, "num_attention_heads": 24, "num_hidden_layers": 30,
                      "num_key_value_heads": 2, "use_bias": True, "vocab_size": 49152},
    "phi-3-mini": {"architectures": ["Phi3ForCausalLM"], "model_type": "phi3", "hidden_act": "silu", "hidden_size": 3072, "intermediate_size": 8192,
                   "max_position_embeddings": 4096, "num_attention_heads": 32, "num_hidden_layers": 32, "num_key_value_heads": 32,
                   "tie_word_embeddings": False, "vocab_size": 32064},
}

# Small configs, one or more per option; missing keys take the family defaults. Inputs: token ids [batch, 9].
IDS = [("ids", [9], 97)]
SMALL = {"hidden_size": 32, "intermediate_size": 48, "num_attention_heads": 4, "num_key_value_heads": 2, "num_hidden_layers": 2, "vocab_size": 97}
TINY = {
    "tiny-qwen2-moe": ({"architectures": ["Qwen2MoeForCausalLM"], "model_type": "qwen2_moe", **SMALL, "num_hidden_layers": 4, "num_experts": 4,
                        "num_experts_per_tok": 2, "moe_intermediate_size": 16, "shared_expert_intermediate_size": 24, "decoder_sparse_step": 2,
                        "mlp_only_layers": [3]}, IDS),
    "tiny-qwen3-moe": ({"architectures": ["Qwen3MoeForCausalLM"], "model_type": "qwen3_moe", **SMALL, "head_dim": 12, "num_experts": 4,
                        "num_experts_per_tok": 2, "moe_intermediate_size": 16}, IDS),
    "tiny-gemma3-text": ({"architectures": ["Gemma3ForCausalLM"], "model_type": "gemma3_text", **SMALL, "head_dim": 16}, IDS),
    "tiny-granite": ({"architectures": ["GraniteForCausalLM"], "model_type": "granite", **SMALL, "attention_bias": True, "mlp_bias": True,
                      "tie_word_embeddings": True}, IDS),
    "tiny-olmo": ({"architectures": ["OlmoForCausalLM"], "model_type": "olmo", **SMALL}, IDS),
    "tiny-olmo2": ({"architectures": ["Olmo2ForCausalLM"], "model_type": "olmo2", **SMALL}, IDS),
    "tiny-stablelm": ({"architectures": ["StableLmForCausalLM"], "model_type": "stablelm", **SMALL, "use_qkv_bias": True}, IDS),
    "tiny-stablelm-parallel": ({"architectures": ["StableLmModel"], "model_type": "stablelm", **SMALL, "qk_layernorm": True,
                                "use_parallel_residual": True}, IDS),
    "tiny-starcoder2": ({"architectures": ["Starcoder2ForCausalLM"], "model_type": "starcoder2", **SMALL}, IDS),
    "tiny-starcoder2-nobias": ({"architectures": ["Starcoder2Model"], "model_type": "starcoder2", **SMALL, "use_bias": False}, IDS),
    "tiny-phi3": ({"architectures": ["Phi3ForCausalLM"], "model_type": "phi3", **SMALL}, IDS),
}
