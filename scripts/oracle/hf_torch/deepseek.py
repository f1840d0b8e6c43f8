"""DeepSeek-V2 and V3 in plain torch under `transformers`' module names: multi-head latent attention (low-rank q unless
q_lora_rank is None, a shared key/value latent with a rotary part shared by the heads) and DeepSeekMoE (routed
experts, shared experts folded into one MLP, dense first layers). DeepSeek-V3's router keeps e_score_correction_bias
as a buffer."""

import torch
import torch.nn as nn

from .common import GatedMLP, LMHead, RMSNorm, arch, get, lin, route, run

V2 = dict(vocab_size=32000, hidden_size=4096, intermediate_size=11008, num_hidden_layers=32, num_attention_heads=32, hidden_act="silu",
          q_lora_rank=1536, kv_lora_rank=512, qk_nope_head_dim=128, qk_rope_head_dim=64, v_head_dim=128, n_routed_experts=64,
          n_shared_experts=2, moe_intermediate_size=1407, first_k_dense_replace=0, attention_bias=False)
V3 = dict(V2, vocab_size=129280, hidden_size=7168, intermediate_size=18432, num_hidden_layers=61, num_attention_heads=128, n_routed_experts=256,
          n_shared_experts=1, num_experts_per_tok=8, moe_intermediate_size=2048, first_k_dense_replace=3)
DEFAULTS = {"deepseek_v2": V2, "deepseek_v3": V3}


class LatentAttention(nn.Module):
    def __init__(self, h, heads, q_lora, kv_lora, nope, rope, v, bias, dev):
        super().__init__()
        q_dim = nope + rope
        if q_lora is None:
            self.q_proj = lin(h, heads * q_dim, False, dev)
        else:
            self.q_a_proj, self.q_a_layernorm, self.q_b_proj = lin(h, q_lora, bias, dev), RMSNorm(q_lora, dev), lin(q_lora, heads * q_dim, False, dev)
        self.kv_a_proj_with_mqa = lin(h, kv_lora + rope, bias, dev)
        self.kv_a_layernorm = RMSNorm(kv_lora, dev)
        self.kv_b_proj = lin(kv_lora, heads * (nope + v), False, dev)
        self.o_proj = lin(heads * v, h, bias, dev)
        self.shape = (heads, kv_lora, nope, rope, v)

    def forward(self, x):
        n, l, _ = x.shape
        heads, kv_lora, nope, rope, v = self.shape
        q = self.q_proj(x) if hasattr(self, "q_proj") else self.q_b_proj(self.q_a_layernorm(self.q_a_proj(x)))
        q = q.view(n, l, heads, nope + rope).transpose(1, 2)
        latent, k_rope = self.kv_a_proj_with_mqa(x).split([kv_lora, rope], dim=-1)
        kv = self.kv_b_proj(self.kv_a_layernorm(latent)).view(n, l, heads, nope + v).transpose(1, 2)
        k_nope, value = kv.split([nope, v], dim=-1)
        k = torch.cat([k_nope, k_rope[:, None].expand(n, heads, l, rope)], dim=-1)
        p = torch.softmax(torch.matmul(q, k.transpose(-1, -2)) / (nope + rope) ** 0.5, dim=-1)
        return self.o_proj(torch.matmul(p, value).transpose(1, 2).reshape(n, l, heads * v))


class Gate(nn.Module):
    def __init__(self, h, experts, v3, dev):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(experts, h, device=dev).normal_(std=0.02) if dev != "meta" else torch.empty(experts, h, device=dev))
        if v3:
            self.register_buffer("e_score_correction_bias", torch.zeros(experts, device=dev))

    def forward(self, x):
        return nn.functional.linear(x, self.weight)


class MoE(nn.Module):
    def __init__(self, h, experts, top_k, width, shared, act, v3, dev):
        super().__init__()
        self.experts = nn.ModuleList([GatedMLP(h, width, False, act, dev) for _ in range(experts)])
        self.gate = Gate(h, experts, v3, dev)
        if shared:
            self.shared_experts = GatedMLP(h, width * shared, False, act, dev)
        self.top_k = top_k

    def forward(self, x):
        flat = x.reshape(-1, x.shape[-1])
        out = route(flat, self.gate(flat), self.experts, self.top_k)
        if hasattr(self, "shared_experts"):
            out = out + self.shared_experts(flat)
        return out.view_as(x)


class Layer(nn.Module):
    def __init__(self, g, q_lora, i, v3, dev):
        super().__init__()
        h = g("hidden_size")
        self.self_attn = LatentAttention(h, g("num_attention_heads"), q_lora, g("kv_lora_rank"), g("qk_nope_head_dim"), g("qk_rope_head_dim"),
                                         g("v_head_dim"), g("attention_bias"), dev)
        routed = None if "n_routed_experts" in g.cfg and g.cfg["n_routed_experts"] is None else g("n_routed_experts")
        if routed and i >= g("first_k_dense_replace"):
            self.mlp = MoE(h, routed, g("num_experts_per_tok"), g("moe_intermediate_size"), g("n_shared_experts"), g("hidden_act"), v3, dev)
        else:
            self.mlp = GatedMLP(h, g("intermediate_size"), False, g("hidden_act"), dev)
        self.input_layernorm, self.post_attention_layernorm = RMSNorm(h, dev), RMSNorm(h, dev)

    def forward(self, x):
        x = x + self.self_attn(self.input_layernorm(x))
        return x + self.mlp(self.post_attention_layernorm(x))


class Model(nn.Module):
    def __init__(self, g, q_lora, v3, dev):
        super().__init__()
        self.embed_tokens = nn.Embedding(g("vocab_size"), g("hidden_size"), device=dev)
        self.layers = nn.ModuleList([Layer(g, q_lora, i, v3, dev) for i in range(g("num_hidden_layers"))])
        self.norm = RMSNorm(g("hidden_size"), dev)

    def forward(self, ids):
        return self.norm(run(self.layers, self.embed_tokens(ids)))


def build(cfg, dev):
    defaults = DEFAULTS[cfg["model_type"]]
    def g(k):
        return get(cfg, k, defaults.get(k))

    g.cfg = cfg
    q_lora = None if "q_lora_rank" in cfg and cfg["q_lora_rank"] is None else g("q_lora_rank")
    v3 = cfg["model_type"] == "deepseek_v3"
    base = Model(g, q_lora, v3, dev)
    model = base if not arch(cfg, "ForCausalLM").endswith("ForCausalLM") else LMHead("model", base, "lm_head", g("hidden_size"), g("vocab_size"),
                                                                                     g("tie_word_embeddings") or False, base.embed_tokens, dev=dev)
    if cfg.get("n_routed_experts", 1) is not None and g("n_routed_experts"):
        model.moe_top_k = g("num_experts_per_tok")
    return model


BUILDERS = {"deepseek_v2": build, "deepseek_v3": build}


def op_cases():
    """Single multi-head latent attention layers, as PyTorch runs them: nncalc's `mla` op against each."""
    from .measure import module_case
    cases = []
    for attrs, shape in [
        ({"num_heads": 4, "kv_lora_rank": 16, "qk_nope_head_dim": 8, "qk_rope_head_dim": 4, "v_head_dim": 6}, [2, 5, 32]),
        ({"num_heads": 4, "q_lora_rank": 12, "kv_lora_rank": 16, "qk_nope_head_dim": 8, "qk_rope_head_dim": 4, "v_head_dim": 8, "bias": True}, [2, 5, 32]),
        ({"num_heads": 2, "q_lora_rank": 8, "kv_lora_rank": 8, "qk_nope_head_dim": 0, "qk_rope_head_dim": 6, "v_head_dim": 4}, [1, 3, 16]),
    ]:
        m = LatentAttention(shape[2], attrs["num_heads"], attrs.get("q_lora_rank"), attrs["kv_lora_rank"], attrs["qk_nope_head_dim"],
                            attrs["qk_rope_head_dim"], attrs["v_head_dim"], attrs.get("bias", False), "cpu")
        cases.append(module_case("mla", attrs, m, [shape]))
    return cases


# ---------------------------------------------------------------- configs

# The zoo's models: the structural keys of each published config.json (huggingface.co/<repo>/config.json).
REAL = {
    "deepseek-v2-lite": {"architectures": ["DeepseekV2ForCausalLM"], "model_type": "deepseek_v2", "first_k_dense_replace": 1, "hidden_act": "silu",
                         "hidden_size": 2048, "intermediate_size": 10944, "kv_lora_rank": 512, "max_position_embeddings": 163840,
                         "moe_intermediate_size": 1408, "moe_layer_freq": 1, "n_routed_experts": 64, "n_shared_experts": 2, "num_attention_heads": 16,
                         "num_experts_per_tok": 6, "num_hidden_layers": 27, "num_key_value_heads": 16, "q_lora_rank": None, "qk_nope_head_dim": 128,
                         "qk_rope_head_dim": 64, "tie_word_embeddings": False, "v_head_dim": 128, "vocab_size": 102400},
    "deepseek-v3": {"architectures": ["DeepseekV3ForCausalLM"], "model_type": "deepseek_v3", "first_k_dense_replace": 3, "hidden_act": "silu",
                    "hidden_size": 7168, "intermediate_size": 18432, "kv_lora_rank": 512, "max_position_embeddings": 163840, "moe_intermediate_size": 2048,
                    "moe_layer_freq": 1, "n_routed_experts": 256, "n_shared_experts": 1, "num_attention_heads": 128, "num_experts_per_tok": 8,
                    "num_hidden_layers": 61, "num_key_value_heads": 128, "num_nextn_predict_layers": 1, "q_lora_rank": 1536, "qk_nope_head_dim": 128,
                    "qk_rope_head_dim": 64, "tie_word_embeddings": False, "v_head_dim": 128, "vocab_size": 129280},
}

IDS = [("ids", [9], 97)]
TINY = {
    "tiny-deepseek-v2": ({"architectures": ["DeepseekV2ForCausalLM"], "model_type": "deepseek_v2", "hidden_size": 32, "intermediate_size": 48,
                          "num_hidden_layers": 3, "num_attention_heads": 4, "q_lora_rank": None, "kv_lora_rank": 16, "qk_nope_head_dim": 8,
                          "qk_rope_head_dim": 4, "v_head_dim": 8, "n_routed_experts": 4, "n_shared_experts": 2, "num_experts_per_tok": 2,
                          "moe_intermediate_size": 12, "first_k_dense_replace": 1, "vocab_size": 97}, IDS),
    "tiny-deepseek-v3": ({"architectures": ["DeepseekV3ForCausalLM"], "model_type": "deepseek_v3", "hidden_size": 32, "intermediate_size": 48,
                          "num_hidden_layers": 2, "num_attention_heads": 4, "q_lora_rank": 12, "kv_lora_rank": 16, "qk_nope_head_dim": 8,
                          "qk_rope_head_dim": 4, "v_head_dim": 6, "n_routed_experts": 4, "num_experts_per_tok": 2, "moe_intermediate_size": 12,
                          "first_k_dense_replace": 1, "attention_bias": True, "vocab_size": 97}, IDS),
    "tiny-deepseek-v2-model": ({"architectures": ["DeepseekV2Model"], "model_type": "deepseek_v2", "hidden_size": 32, "intermediate_size": 48,
                                "num_hidden_layers": 2, "num_attention_heads": 2, "q_lora_rank": 8, "kv_lora_rank": 8, "qk_nope_head_dim": 8,
                                "qk_rope_head_dim": 8, "v_head_dim": 8, "n_routed_experts": None, "vocab_size": 97}, IDS),
}
