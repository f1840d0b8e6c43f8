"""ALBERT (layer groups shared across the depth: each module runs several times, its parameters count once) and
DeBERTa-v2/v3 (disentangled attention over a relative position table, optional convolution after the first layer)
in plain torch under `transformers`' module names, with their config classes' defaults."""

import torch
import torch.nn as nn

from .common import Module, act_module, arch, attend, get, lin
from .encoders import Embeddings, Layer

ALBERT = dict(vocab_size=30000, embedding_size=128, hidden_size=4096, num_hidden_layers=12, num_hidden_groups=1, inner_group_num=1,
              num_attention_heads=64, intermediate_size=16384, hidden_act="gelu_new", max_position_embeddings=512, type_vocab_size=2)


class AlbertAttention(nn.Module):
    def __init__(self, h, heads, dev):
        super().__init__()
        self.query, self.key, self.value, self.dense = (lin(h, h, True, dev) for _ in range(4))
        self.LayerNorm = nn.LayerNorm(h, device=dev)
        self.heads = heads

    def forward(self, x):
        ctx = attend(self.query(x), self.key(x), self.value(x), self.heads, self.heads, x.shape[-1] // self.heads)
        return self.LayerNorm(x + self.dense(ctx))


class AlbertLayer(nn.Module):
    def __init__(self, g, dev):
        super().__init__()
        h = g("hidden_size")
        self.full_layer_layer_norm = nn.LayerNorm(h, device=dev)
        self.attention = AlbertAttention(h, g("num_attention_heads"), dev)
        self.ffn, self.ffn_output = lin(h, g("intermediate_size"), True, dev), lin(g("intermediate_size"), h, True, dev)
        self.activation = act_module(g("hidden_act"))

    def forward(self, x):
        a = self.attention(x)
        return self.full_layer_layer_norm(self.ffn_output(self.activation(self.ffn(a))) + a)


class AlbertEncoder(nn.Module):
    def __init__(self, g, dev):
        super().__init__()
        self.embedding_hidden_mapping_in = lin(g("embedding_size"), g("hidden_size"), True, dev)
        self.albert_layer_groups = nn.ModuleList(
            [Module(albert_layers=nn.ModuleList([AlbertLayer(g, dev) for _ in range(g("inner_group_num"))])) for _ in range(g("num_hidden_groups"))])
        self.layers, self.groups = g("num_hidden_layers"), g("num_hidden_groups")

    def forward(self, x):
        x = self.embedding_hidden_mapping_in(x)
        for i in range(self.layers):
            group = self.albert_layer_groups[int(i / (self.layers / self.groups))]
            for layer in group.albert_layers:
                x = layer(x)
        return x


def albert(cfg, dev):
    g = lambda k: get(cfg, k, ALBERT.get(k))
    emb = Embeddings(g("vocab_size"), g("embedding_size"), g("max_position_embeddings"), g("type_vocab_size"), dev)
    mlm = arch(cfg, "AlbertModel") == "AlbertForMaskedLM"
    base = Module(embeddings=emb, encoder=AlbertEncoder(g, dev))
    if not mlm:
        base.pooler, base.pooler_activation = lin(g("hidden_size"), g("hidden_size"), True, dev), nn.Tanh()

    def forward(ids):
        x = base.encoder(emb(ids))
        if hasattr(base, "pooler"):
            base.pooler_activation(base.pooler(x[:, 0]))
        return x

    base.forward = forward
    if not mlm:
        return base
    e, vocab = g("embedding_size"), g("vocab_size")
    head = Module(LayerNorm=nn.LayerNorm(e, device=dev), dense=lin(g("hidden_size"), e, True, dev), decoder=lin(e, vocab, False, dev), activation=act_module(g("hidden_act")))
    head.bias = nn.Parameter(torch.zeros(vocab, device=dev))
    head.decoder.bias = head.bias
    if get(cfg, "tie_word_embeddings", True):
        head.decoder.weight = emb.word_embeddings.weight
    model = Module(albert=base, predictions=head)
    model.forward = lambda ids: head.decoder(head.LayerNorm(head.activation(head.dense(base(ids)))))
    return model


# ---------------------------------------------------------------- DeBERTa-v2

DEBERTA = dict(vocab_size=128100, hidden_size=1536, num_hidden_layers=24, num_attention_heads=24, intermediate_size=6144, hidden_act="gelu",
               max_position_embeddings=512, type_vocab_size=0, relative_attention=False, max_relative_positions=-1, position_biased_input=True,
               position_buckets=-1, share_att_key=False, norm_rel_ebd="none", conv_kernel_size=0, conv_groups=1)


class DisentangledSelfAttention(nn.Module):
    def __init__(self, h, heads, terms, share, dev):
        super().__init__()
        self.query_proj, self.key_proj, self.value_proj = lin(h, h, True, dev), lin(h, h, True, dev), lin(h, h, True, dev)
        if not share:
            if "c2p" in terms:
                self.pos_key_proj = lin(h, h, True, dev)
            if "p2c" in terms:
                self.pos_query_proj = lin(h, h, True, dev)
        self.heads, self.terms, self.share = heads, terms, share

    def split(self, x):  # [n, l, h] → [n·heads, l, d]
        n, l, h = x.shape
        return x.view(n, l, self.heads, h // self.heads).transpose(1, 2).reshape(n * self.heads, l, h // self.heads)

    def forward(self, x, rel=None):
        n, l, h = x.shape
        q, k, v = self.split(self.query_proj(x)), self.split(self.key_proj(x)), self.split(self.value_proj(x))
        scores = torch.bmm(q, k.transpose(-1, -2))
        if rel is not None and self.terms:
            span = rel.shape[0] // 2
            table = rel[None]
            rel_pos = torch.arange(l)[:, None] - torch.arange(l)[None, :]
            if self.share:
                pos_q = self.split(self.query_proj(table)).repeat(n, 1, 1)
                pos_k = self.split(self.key_proj(table)).repeat(n, 1, 1)
            else:
                pos_k = self.split(self.pos_key_proj(table)).repeat(n, 1, 1) if "c2p" in self.terms else None
                pos_q = self.split(self.pos_query_proj(table)).repeat(n, 1, 1) if "p2c" in self.terms else None
            if "c2p" in self.terms:
                c2p = torch.bmm(q, pos_k.transpose(-1, -2))  # [n·heads, l, 2k]
                idx = torch.clamp(rel_pos + span, 0, 2 * span - 1)[None].expand(c2p.shape[0], l, l)
                scores = scores + torch.gather(c2p, -1, idx)
            if "p2c" in self.terms:
                p2c = torch.bmm(k, pos_q.transpose(-1, -2))  # [n·heads, l, 2k]
                idx = torch.clamp(-rel_pos + span, 0, 2 * span - 1)[None].expand(p2c.shape[0], l, l)
                scores = scores + torch.gather(p2c, -1, idx).transpose(-1, -2)
        ctx = torch.bmm(torch.softmax(scores, dim=-1), v)
        return ctx.view(n, self.heads, l, h // self.heads).transpose(1, 2).reshape(n, l, h)


def deberta(cfg, dev):
    g = lambda k: get(cfg, k, DEBERTA.get(k))
    h, e, positions = g("hidden_size"), get(cfg, "embedding_size", g("hidden_size")), g("max_position_embeddings")
    relative = g("relative_attention")
    pat = get(cfg, "pos_att_type", [])
    terms = [t.strip() for t in pat.lower().split("|")] if isinstance(pat, str) else list(pat)
    terms = terms if relative else []
    emb = nn.Module()
    emb.word_embeddings = nn.Embedding(g("vocab_size"), e, device=dev)
    if g("position_biased_input"):
        emb.position_embeddings = nn.Embedding(positions, e, device=dev)
    if g("type_vocab_size") > 0:
        emb.token_type_embeddings = nn.Embedding(g("type_vocab_size"), e, device=dev)
    if e != h:
        emb.embed_proj = lin(e, h, False, dev)
    emb.LayerNorm = nn.LayerNorm(h, device=dev)

    def embed(ids):
        x = emb.word_embeddings(ids)
        if hasattr(emb, "position_embeddings"):
            x = x + emb.position_embeddings(torch.arange(ids.shape[1])[None].expand_as(ids))
        if hasattr(emb, "token_type_embeddings"):
            x = x + emb.token_type_embeddings(torch.zeros_like(ids))
        return emb.LayerNorm(emb.embed_proj(x) if hasattr(emb, "embed_proj") else x)

    emb.forward = embed
    layers = [Layer(h, g("num_attention_heads"), g("intermediate_size"), g("hidden_act"), dev,
                    DisentangledSelfAttention(h, g("num_attention_heads"), terms, g("share_att_key"), dev)) for _ in range(g("num_hidden_layers"))]
    enc = Module(layer=nn.ModuleList(layers))
    if relative:
        span = g("position_buckets") if g("position_buckets") > 0 else (positions if g("max_relative_positions") < 1 else g("max_relative_positions"))
        enc.rel_embeddings = nn.Embedding(2 * span, h, device=dev)
        if "layer_norm" in g("norm_rel_ebd"):
            enc.LayerNorm = nn.LayerNorm(h, device=dev)
    if g("conv_kernel_size") > 0:
        k = g("conv_kernel_size")
        enc.conv = Module(conv=nn.Conv1d(h, h, k, padding=(k - 1) // 2, groups=g("conv_groups"), device=dev), LayerNorm=nn.LayerNorm(h, device=dev),
                          conv_act=act_module(get(cfg, "conv_act", "tanh")))

    def encode(x):
        rel = None
        if hasattr(enc, "rel_embeddings"):
            rel = enc.rel_embeddings.weight
            rel = enc.LayerNorm(rel) if hasattr(enc, "LayerNorm") else rel
        first = x
        for i, layer in enumerate(enc.layer):
            x = layer(x, rel) if rel is not None else layer(x)
            if i == 0 and hasattr(enc, "conv"):
                c = enc.conv
                x = c.LayerNorm(x + c.conv_act(c.conv(first.transpose(1, 2)).transpose(1, 2)))
        return x

    enc.forward = encode
    model = Module(embeddings=emb, encoder=enc)
    model.forward = lambda ids: enc(emb(ids))
    return model


BUILDERS = {"albert": albert, "deberta-v2": deberta}


def op_cases():
    """Single disentangled attention layers (attention.self), as PyTorch runs them: nncalc's `disentangled_attention` op."""
    from .measure import module_case
    cases = []
    for terms, share, shapes in [(["c2p", "p2c"], True, [[2, 7, 16], [8, 16]]), (["c2p"], False, [[2, 7, 16], [10, 16]]),
                                 (["p2c"], False, [[1, 5, 16], [6, 16]]), ([], False, [[2, 7, 16]])]:
        attrs = {"num_heads": 4, **({"c2p": True} if "c2p" in terms else {}), **({"p2c": True} if "p2c" in terms else {}), **({"share_att_key": True} if share else {})}
        cases.append(module_case("disentangled_attention", attrs, DisentangledSelfAttention(16, 4, terms, share, "cpu"), shapes))
    return cases
