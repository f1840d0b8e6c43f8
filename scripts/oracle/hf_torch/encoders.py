"""BERT-style encoders in plain torch under `transformers`' module names, each with its config class's defaults:
RoBERTa and XLM-R (RobertaModel with pooler, RobertaForMaskedLM with lm_head), ELECTRA (factorised embeddings,
embeddings_project, the discriminator and generator heads), DistilBERT, ALBERT (one set of layers per group, shared
across the depth) and DeBERTa-v2/v3 (disentangled attention over a relative position table)."""

import torch
import torch.nn as nn

from .common import Attention, Module, act_module, arch, attend, get, lin, run

BERT_LIKE = dict(hidden_size=768, num_hidden_layers=12, num_attention_heads=12, intermediate_size=3072, hidden_act="gelu",
                 max_position_embeddings=512, type_vocab_size=2)
DEFAULTS = {
    "roberta": dict(BERT_LIKE, vocab_size=50265),
    "xlm-roberta": dict(BERT_LIKE, vocab_size=30522),
    "electra": dict(BERT_LIKE, vocab_size=30522, embedding_size=128, hidden_size=256, num_attention_heads=4, intermediate_size=1024),
}


class Embeddings(nn.Module):
    def __init__(self, vocab, width, positions, types, dev):
        super().__init__()
        self.word_embeddings = nn.Embedding(vocab, width, device=dev)
        self.position_embeddings = nn.Embedding(positions, width, device=dev)
        if types:
            self.token_type_embeddings = nn.Embedding(types, width, device=dev)
        self.LayerNorm = nn.LayerNorm(width, device=dev)

    def forward(self, ids):
        x = self.word_embeddings(ids) + self.position_embeddings(torch.arange(ids.shape[1])[None].expand_as(ids))
        if hasattr(self, "token_type_embeddings"):
            x = x + self.token_type_embeddings(torch.zeros_like(ids))
        return self.LayerNorm(x)


class SelfAttention(nn.Module):
    def __init__(self, h, heads, dev):
        super().__init__()
        self.query, self.key, self.value = lin(h, h, True, dev), lin(h, h, True, dev), lin(h, h, True, dev)
        self.heads = heads

    def forward(self, x):
        return attend(self.query(x), self.key(x), self.value(x), self.heads, self.heads, x.shape[-1] // self.heads)


class Layer(nn.Module):
    """A BERT layer; `self_attention` replaces attention.self (DeBERTa)."""

    def __init__(self, h, heads, inter, act, dev, self_attention=None):
        super().__init__()
        self.attention = Module(self=self_attention or SelfAttention(h, heads, dev), output=Module(dense=lin(h, h, True, dev), LayerNorm=nn.LayerNorm(h, device=dev)))
        self.intermediate = Module(dense=lin(h, inter, True, dev), intermediate_act_fn=act_module(act))
        self.output = Module(dense=lin(inter, h, True, dev), LayerNorm=nn.LayerNorm(h, device=dev))

    def forward(self, x, *rel):
        a = self.attention
        x = a.output.LayerNorm(x + a.output.dense(a.self(x, *rel)))
        return self.output.LayerNorm(x + self.output.dense(self.intermediate.intermediate_act_fn(self.intermediate.dense(x))))


class Encoder(nn.Module):
    def __init__(self, layers):
        super().__init__()
        self.layer = nn.ModuleList(layers)

    def forward(self, x):
        return run(self.layer, x)


class BertLike(nn.Module):
    """RobertaModel / ElectraModel: embeddings, (embeddings_project), encoder, (pooler)."""

    def __init__(self, g, pooler, dev):
        super().__init__()
        h, e = g("hidden_size"), g("embedding_size") or g("hidden_size")
        self.embeddings = Embeddings(g("vocab_size"), e, g("max_position_embeddings"), g("type_vocab_size"), dev)
        if e != h:
            self.embeddings_project = lin(e, h, True, dev)
        self.encoder = Encoder([Layer(h, g("num_attention_heads"), g("intermediate_size"), g("hidden_act"), dev) for _ in range(g("num_hidden_layers"))])
        if pooler:
            self.pooler = Module(dense=lin(h, h, True, dev), activation=nn.Tanh())

    def forward(self, ids):
        x = self.embeddings(ids)
        if hasattr(self, "embeddings_project"):
            x = self.embeddings_project(x)
        x = self.encoder(x)
        if hasattr(self, "pooler"):
            self.pooler.activation(self.pooler.dense(x[:, 0]))
        return x


class MaskedLMHead(nn.Module):
    """RobertaLMHead (dense, layer_norm, decoder) or ElectraGeneratorPredictions + generator_lm_head: the decoder's bias is the head's `bias`."""

    def __init__(self, h, width, vocab, norm_name, dev):
        super().__init__()
        self.dense = lin(h, width, True, dev)
        setattr(self, norm_name, nn.LayerNorm(width, device=dev))
        self.decoder = lin(width, vocab, False, dev)
        self.bias = nn.Parameter(torch.zeros(vocab, device=dev))
        self.decoder.bias = self.bias
        self.norm_name = norm_name

    def forward(self, x):
        return self.decoder(getattr(self, self.norm_name)(nn.functional.gelu(self.dense(x))))


def bert_like(cfg, dev):
    fam = cfg["model_type"]
    defaults = DEFAULTS[fam]
    g = lambda k: get(cfg, k, defaults.get(k))
    a = arch(cfg, "Model")
    electra = fam == "electra"
    base = BertLike(g, a.endswith("Model") and not electra, dev)
    if a.endswith("Model"):
        return base
    word = base.embeddings.word_embeddings
    tie = get(cfg, "tie_word_embeddings", True)
    h, e = g("hidden_size"), g("embedding_size") or g("hidden_size")
    if a == "ElectraForPreTraining":
        head = Module(dense=lin(h, h, True, dev), activation=act_module(g("hidden_act")), dense_prediction=lin(h, 1, True, dev))
        model = Module(electra=base, discriminator_predictions=head)
        model.forward = lambda ids: head.dense_prediction(head.activation(head.dense(base(ids))))
        return model
    if a == "ElectraForMaskedLM":
        gen = Module(LayerNorm=nn.LayerNorm(e, device=dev), dense=lin(h, e, True, dev))
        lm = lin(e, g("vocab_size"), True, dev)
        if tie:
            lm.weight = word.weight
        model = Module(electra=base, generator_predictions=gen, generator_lm_head=lm)
        model.forward = lambda ids: lm(gen.LayerNorm(nn.functional.gelu(gen.dense(base(ids)))))
        return model
    head = MaskedLMHead(h, h, g("vocab_size"), "layer_norm", dev)
    if tie:
        head.decoder.weight = word.weight
    model = Module(roberta=base, lm_head=head)
    model.forward = lambda ids: head(base(ids))
    return model


# ---------------------------------------------------------------- DistilBERT

class DistilLayer(nn.Module):
    def __init__(self, h, heads, inter, act, dev):
        super().__init__()
        self.attention = Attention(h, heads, dev, names=("q_lin", "k_lin", "v_lin", "out_lin"))
        self.sa_layer_norm = nn.LayerNorm(h, device=dev)
        self.ffn = Module(lin1=lin(h, inter, True, dev), lin2=lin(inter, h, True, dev), activation=act_module(act))
        self.output_layer_norm = nn.LayerNorm(h, device=dev)

    def forward(self, x):
        x = self.sa_layer_norm(x + self.attention(x))
        return self.output_layer_norm(x + self.ffn.lin2(self.ffn.activation(self.ffn.lin1(x))))


def distilbert(cfg, dev):
    d = dict(vocab_size=30522, dim=768, n_layers=6, n_heads=12, hidden_dim=3072, activation="gelu", max_position_embeddings=512)
    g = lambda k: get(cfg, k, d.get(k))
    h = g("dim")
    emb = Embeddings(g("vocab_size"), h, g("max_position_embeddings"), 0, dev)
    base = Module(embeddings=emb, transformer=Encoder([DistilLayer(h, g("n_heads"), g("hidden_dim"), g("activation"), dev) for _ in range(g("n_layers"))]))
    base.forward = lambda ids: base.transformer(emb(ids))
    if arch(cfg, "DistilBertModel") != "DistilBertForMaskedLM":
        return base
    projector = lin(h, g("vocab_size"), True, dev)
    if get(cfg, "tie_word_embeddings", True):
        projector.weight = emb.word_embeddings.weight
    model = Module(distilbert=base, vocab_transform=lin(h, h, True, dev), activation=act_module(g("activation")), vocab_layer_norm=nn.LayerNorm(h, device=dev),
                   vocab_projector=projector)
    model.forward = lambda ids: projector(model.vocab_layer_norm(model.activation(model.vocab_transform(base(ids)))))
    return model


BUILDERS = {"roberta": bert_like, "xlm-roberta": bert_like, "electra": bert_like, "distilbert": distilbert}
