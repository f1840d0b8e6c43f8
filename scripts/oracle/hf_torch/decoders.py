"""Decoders with fused or GPT-style attention, in plain torch under `transformers`' module names, each reading the
defaults of its config class: GPT-NeoX (Pythia), GPT-J, OPT, BLOOM (ALiBi: no position table), Falcon (multi-query,
grouped new decoder architecture, one or two norms in parallel attention), MPT (no biases, weight-only LayerNorms,
MLP width fixed at 4h as transformers builds it) and GPTBigCode (multi-query)."""

import torch
import torch.nn as nn

from .common import Attention, LayerNormNoBias, LMHead, Module, act_module, arch, get, lin, run, split_heads_attend


def plain_mlp(h, i, bias, act, dev, up="dense_h_to_4h", down="dense_4h_to_h", act_name="act"):
    m = Module(**{up: lin(h, i, bias, dev), act_name: act_module(act), down: lin(i, h, bias, dev)})
    m.forward = lambda x: getattr(m, down)(getattr(m, act_name)(getattr(m, up)(x)))
    return m


class FusedAttention(nn.Module):
    """One projection to q‖k‖v (`fused`), attention, an output projection (`out`)."""

    def __init__(self, h, heads, kv, d, bias, dev, fused="query_key_value", out="dense", out_bias=None):
        super().__init__()
        setattr(self, fused, lin(h, (heads + 2 * kv) * d, bias, dev))
        setattr(self, out, lin(heads * d, h, bias if out_bias is None else out_bias, dev))
        self.names, self.shape = (fused, out), (heads, kv, d)

    def forward(self, x):
        heads, kv, d = self.shape
        y = split_heads_attend(getattr(self, self.names[0])(x), [heads * d, kv * d, kv * d], heads, kv, d)
        return getattr(self, self.names[1])(y)


class Block(nn.Module):
    """A decoder layer: `norms` by name, an attention module and an MLP, wired as `layout` says."""

    def __init__(self, norms, attn_name, attn, mlp_name, mlp, layout):
        super().__init__()
        for k, m in norms.items():
            setattr(self, k, m)
        setattr(self, attn_name, attn)
        setattr(self, mlp_name, mlp)
        self.parts, self.layout, self.norm_names = (attn_name, mlp_name), layout, list(norms)

    def forward(self, x):
        attn, mlp = (getattr(self, n) for n in self.parts)
        n = [getattr(self, k) for k in self.norm_names]
        if self.layout == "sequential":  # x + attn(n0(x)), then + mlp(n1(x))
            x = x + attn(n[0](x))
            return x + mlp(n[1](x))
        if self.layout == "parallel2":  # x + attn(n0(x)) + mlp(n1(x))
            return x + attn(n[0](x)) + mlp(n[1](x))
        if self.layout == "parallel1":  # y = n0(x); x + attn(y) + mlp(y)
            y = n[0](x)
            return x + attn(y) + mlp(y)
        # post-norm: n0(x + attn(x)), then n1(x + mlp(x))
        x = n[0](x + attn(x))
        return n[1](x + mlp(x))


class Stack(nn.Module):
    """Token embeddings (`embed`, with optional extra modules before the layers), layers under `layers`, a final norm."""

    def __init__(self, embed_name, embed, layers_name, layers, final_name, final, pre=None, positions=None):
        super().__init__()
        setattr(self, embed_name, embed)
        for k, m in (pre or {}).items():
            setattr(self, k, m)
        if positions:
            setattr(self, positions[0], positions[1])
        setattr(self, layers_name, nn.ModuleList(layers))
        if final is not None:
            setattr(self, final_name, final)
        self.names = (embed_name, list(pre or {}), positions[0] if positions else None, layers_name, final_name if final is not None else None)

    def forward(self, ids):
        embed, pre, pos, layers, final = self.names
        x = getattr(self, embed)(ids)
        for k in pre:
            x = getattr(self, k)(x)
        if pos:
            x = x + getattr(self, pos)(torch.arange(ids.shape[1])[None].expand_as(ids) + self.offset)
        x = run(getattr(self, layers), x)
        return getattr(self, final)(x) if final else x

    offset = 0


def lm(cfg, default_arch, prefix, base, h, vocab, tie, embed, head="lm_head", bias=False, dev="meta"):
    """The base model alone (…Model) or under `prefix` with an output head (…ForCausalLM)."""
    if not arch(cfg, default_arch).endswith(("ForCausalLM", "LMHeadModel")):
        return base
    return LMHead(prefix, base, head, h, vocab, tie, embed, bias, dev)


# ---------------------------------------------------------------- GPT-NeoX

def gpt_neox(cfg, dev):
    h, n = get(cfg, "hidden_size", 6144), get(cfg, "num_attention_heads", 64)
    i, d, bias = get(cfg, "intermediate_size", 24576), h // n, get(cfg, "attention_bias", True)
    layout = "parallel2" if get(cfg, "use_parallel_residual", True) else "sequential"
    act = get(cfg, "hidden_act", "gelu")

    def layer():
        norms = {"input_layernorm": nn.LayerNorm(h, device=dev), "post_attention_layernorm": nn.LayerNorm(h, device=dev)}
        return Block(norms, "attention", FusedAttention(h, n, n, d, bias, dev), "mlp", plain_mlp(h, i, True, act, dev), layout)

    vocab = get(cfg, "vocab_size", 50432)
    embed = nn.Embedding(vocab, h, device=dev)
    base = Stack("embed_in", embed, "layers", [layer() for _ in range(get(cfg, "num_hidden_layers", 44))], "final_layer_norm", nn.LayerNorm(h, device=dev))
    return lm(cfg, "GPTNeoXForCausalLM", "gpt_neox", base, h, vocab, get(cfg, "tie_word_embeddings", False), embed, "embed_out", dev=dev)


# ---------------------------------------------------------------- GPT-J

def gptj(cfg, dev):
    h, n = get(cfg, ["n_embd", "hidden_size"], 4096), get(cfg, ["n_head", "num_attention_heads"], 16)
    i, act = get(cfg, "n_inner", 4 * h), get(cfg, "activation_function", "gelu_new")
    layers = [Block({"ln_1": nn.LayerNorm(h, device=dev)}, "attn", Attention(h, n, dev, bias=False), "mlp", plain_mlp(h, i, True, act, dev, "fc_in", "fc_out"), "parallel1")
              for _ in range(get(cfg, ["n_layer", "num_hidden_layers"], 28))]
    vocab = get(cfg, "vocab_size", 50400)
    embed = nn.Embedding(vocab, h, device=dev)
    base = Stack("wte", embed, "h", layers, "ln_f", nn.LayerNorm(h, device=dev))
    return lm(cfg, "GPTJForCausalLM", "transformer", base, h, vocab, get(cfg, "tie_word_embeddings", False), embed, bias=True, dev=dev)


# ---------------------------------------------------------------- OPT

class OPTLayer(nn.Module):
    def __init__(self, h, n, f, bias, affine, pre, act, dev):
        super().__init__()
        self.self_attn = Attention(h, n, dev, bias=bias)
        self.activation_fn = act_module(act)
        self.self_attn_layer_norm = nn.LayerNorm(h, elementwise_affine=affine, device=dev)
        self.fc1, self.fc2 = lin(h, f, bias, dev), lin(f, h, bias, dev)
        self.final_layer_norm = nn.LayerNorm(h, elementwise_affine=affine, device=dev)
        self.pre = pre

    def forward(self, x):
        mlp = lambda y: self.fc2(self.activation_fn(self.fc1(y)))
        if self.pre:
            x = x + self.self_attn(self.self_attn_layer_norm(x))
            return x + mlp(self.final_layer_norm(x))
        x = self.self_attn_layer_norm(x + self.self_attn(x))
        return self.final_layer_norm(x + mlp(x))


class OPTDecoder(nn.Module):
    def __init__(self, cfg, dev):
        super().__init__()
        h, vocab = get(cfg, ["hidden_size", "d_model"], 768), get(cfg, "vocab_size", 50272)
        e = get(cfg, "word_embed_proj_dim", h)
        pre, affine = get(cfg, "do_layer_norm_before", True), get(cfg, "layer_norm_elementwise_affine", True)
        self.embed_tokens = nn.Embedding(vocab, e, device=dev)
        self.embed_positions = nn.Embedding(get(cfg, "max_position_embeddings", 2048) + 2, h, device=dev)  # offset 2
        if e != h:
            self.project_out, self.project_in = lin(h, e, False, dev), lin(e, h, False, dev)
        if pre and not get(cfg, "_remove_final_layer_norm", False):
            self.final_layer_norm = nn.LayerNorm(h, elementwise_affine=affine, device=dev)
        n, f, bias, act = get(cfg, "num_attention_heads", 12), get(cfg, "ffn_dim", 3072), get(cfg, "enable_bias", True), get(cfg, "activation_function", "relu")
        self.layers = nn.ModuleList([OPTLayer(h, n, f, bias, affine, pre, act, dev) for _ in range(get(cfg, "num_hidden_layers", 12))])

    def forward(self, ids):
        x = self.embed_tokens(ids)
        if hasattr(self, "project_in"):
            x = self.project_in(x)
        x = x + self.embed_positions(torch.arange(ids.shape[1])[None].expand_as(ids) + 2)
        x = run(self.layers, x)
        if hasattr(self, "final_layer_norm"):
            x = self.final_layer_norm(x)
        return self.project_out(x) if hasattr(self, "project_out") else x


def opt(cfg, dev):
    decoder = OPTDecoder(cfg, dev)
    base = Module(decoder=decoder)
    base.forward = decoder.forward
    e = decoder.embed_tokens.weight.shape[1]
    return lm(cfg, "OPTForCausalLM", "model", base, e, decoder.embed_tokens.weight.shape[0], get(cfg, "tie_word_embeddings", True), decoder.embed_tokens, dev=dev)


# ---------------------------------------------------------------- BLOOM

def bloom(cfg, dev):
    h, n = get(cfg, ["hidden_size", "n_embed"], 64), get(cfg, ["n_head", "num_attention_heads"], 8)
    d = h // n

    def layer():
        norms = {"input_layernorm": nn.LayerNorm(h, device=dev), "post_attention_layernorm": nn.LayerNorm(h, device=dev)}
        return Block(norms, "self_attention", FusedAttention(h, n, n, d, True, dev), "mlp", plain_mlp(h, 4 * h, True, "gelu", dev, act_name="gelu_impl"), "sequential")

    vocab = get(cfg, "vocab_size", 250880)
    embed = nn.Embedding(vocab, h, device=dev)
    base = Stack("word_embeddings", embed, "h", [layer() for _ in range(get(cfg, ["n_layer", "num_hidden_layers"], 2))], "ln_f",
                 nn.LayerNorm(h, device=dev), pre={"word_embeddings_layernorm": nn.LayerNorm(h, device=dev)})
    return lm(cfg, "BloomForCausalLM", "transformer", base, h, vocab, get(cfg, "tie_word_embeddings", True), embed, dev=dev)


# ---------------------------------------------------------------- Falcon

def falcon(cfg, dev):
    h, n = get(cfg, ["hidden_size", "n_embed"], 4544), get(cfg, ["num_attention_heads", "n_head"], 71)
    d, bias, new = h // n, get(cfg, "bias", False), get(cfg, "new_decoder_architecture", False)
    kv = get(cfg, ["num_kv_heads", "n_head_kv"], n) if new else (1 if get(cfg, "multi_query", True) else n)
    f, act = get(cfg, "ffn_hidden_size", 4 * h), get(cfg, "activation", "gelu")
    lns = get(cfg, "num_ln_in_parallel_attn", 2 if new else None)

    def layer():
        ln = lambda: nn.LayerNorm(h, device=dev)
        if not get(cfg, "parallel_attn", True):
            norms, layout = {"input_layernorm": ln(), "post_attention_layernorm": ln()}, "sequential"
        elif lns == 2:
            norms, layout = {"ln_attn": ln(), "ln_mlp": ln()}, "parallel2"
        else:
            norms, layout = {"input_layernorm": ln()}, "parallel1"
        return Block(norms, "self_attention", FusedAttention(h, n, kv, d, bias, dev), "mlp", plain_mlp(h, f, bias, act, dev), layout)

    vocab = get(cfg, "vocab_size", 65024)
    embed = nn.Embedding(vocab, h, device=dev)
    base = Stack("word_embeddings", embed, "h", [layer() for _ in range(get(cfg, ["num_hidden_layers", "n_layer"], 32))], "ln_f", nn.LayerNorm(h, device=dev))
    return lm(cfg, "FalconForCausalLM", "transformer", base, h, vocab, get(cfg, "tie_word_embeddings", True), embed, dev=dev)


# ---------------------------------------------------------------- MPT

def mpt(cfg, dev):
    h, n = get(cfg, "d_model", 2048), get(cfg, "n_heads", 16)

    def layer():
        norms = {"norm_1": LayerNormNoBias(h, dev), "norm_2": LayerNormNoBias(h, dev)}
        attn = FusedAttention(h, n, n, h // n, False, dev, "Wqkv", "out_proj")
        return Block(norms, "attn", attn, "ffn", plain_mlp(h, 4 * h, False, "gelu", dev, "up_proj", "down_proj"), "sequential")

    vocab = get(cfg, "vocab_size", 50368)
    embed = nn.Embedding(vocab, h, device=dev)
    base = Stack("wte", embed, "blocks", [layer() for _ in range(get(cfg, "n_layers", 24))], "norm_f", LayerNormNoBias(h, dev))
    return lm(cfg, "MptForCausalLM", "transformer", base, h, vocab, get(cfg, "tie_word_embeddings", True), embed, dev=dev)


# ---------------------------------------------------------------- GPTBigCode

def gpt_bigcode(cfg, dev):
    h, n = get(cfg, ["n_embd", "hidden_size"], 768), get(cfg, ["n_head", "num_attention_heads"], 12)
    i, d, act = get(cfg, "n_inner", 4 * h), h // n, get(cfg, "activation_function", "gelu_pytorch_tanh")
    kv = 1 if get(cfg, "multi_query", True) else n

    def layer():
        norms = {"ln_1": nn.LayerNorm(h, device=dev), "ln_2": nn.LayerNorm(h, device=dev)}
        return Block(norms, "attn", FusedAttention(h, n, kv, d, True, dev, "c_attn", "c_proj"), "mlp", plain_mlp(h, i, True, act, dev, "c_fc", "c_proj"), "sequential")

    vocab, positions = get(cfg, "vocab_size", 50257), get(cfg, ["n_positions", "max_position_embeddings"], 1024)
    embed = nn.Embedding(vocab, h, device=dev)
    base = Stack("wte", embed, "h", [layer() for _ in range(get(cfg, ["n_layer", "num_hidden_layers"], 12))], "ln_f", nn.LayerNorm(h, device=dev),
                 positions=("wpe", nn.Embedding(positions, h, device=dev)))
    return lm(cfg, "GPTBigCodeForCausalLM", "transformer", base, h, vocab, get(cfg, "tie_word_embeddings", True), embed, dev=dev)


BUILDERS = {"gpt_neox": gpt_neox, "gptj": gptj, "opt": opt, "bloom": bloom, "falcon": falcon, "mpt": mpt, "gpt_bigcode": gpt_bigcode}
