"""The families nncalc built first, in plain torch under `transformers`' module names: BERT (BertModel,
BertForMaskedLM), GPT-2 (GPT2LMHeadModel, GPT2Model), the gated-MLP decoders (Llama, Mistral, Mixtral, Qwen2,
Qwen3, Gemma, Gemma 2), Phi and T5 (T5ForConditionalGeneration, T5Model, T5EncoderModel)."""

import torch
import torch.nn as nn

from .common import CausalLM, Conv1D, GatedMLP, Module, RMSNorm, act_module, attend, get, route

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


class SparseMoe(nn.Module):
    """Mixtral's block_sparse_moe: a router and experts w1 (gate), w3 (up), w2 (down); each token runs top_k experts."""

    def __init__(self, h, i, experts, top_k, dev):
        super().__init__()
        self.gate = nn.Linear(h, experts, bias=False, device=dev)
        self.experts = nn.ModuleList(
            [Module(w1=nn.Linear(h, i, bias=False, device=dev), w2=nn.Linear(i, h, bias=False, device=dev), w3=nn.Linear(h, i, bias=False, device=dev), act_fn=nn.SiLU()) for _ in range(experts)]
        )
        for expert in self.experts:
            expert.forward = lambda t, e=expert: e.w2(e.act_fn(e.w1(t)) * e.w3(t))
        self.top_k = top_k

    def forward(self, x):
        flat = x.reshape(-1, x.shape[-1])
        return route(flat, self.gate(flat), self.experts, self.top_k).view_as(x)


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
    model = base if not arch.endswith("ForCausalLM") else CausalLM(base, h, c["vocab"], get(cfg, "tie_word_embeddings", fam["tie"]), False, dev)
    if c["moe"]:
        model.moe_top_k = c["top_k"]
    return model


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
