"""Encoder-decoders in plain torch under `transformers`' module names, with their config classes' defaults: BART
(learned positions with two extra rows, layernorm_embedding, post-norm), mBART (pre-norm, a final layer_norm per
stack), Marian (sinusoidal position tables, post-norm, shared or separate vocabularies) and Whisper (two convolutions
over the log-mel frames, a frozen sinusoidal encoder table, a learned decoder table, k_proj without bias)."""

import torch
import torch.nn as nn

from .common import Attention, Module, act_module, arch, get, lin

BART = dict(vocab_size=50265, d_model=1024, encoder_layers=12, decoder_layers=12, encoder_ffn_dim=4096, decoder_ffn_dim=4096, encoder_attention_heads=16,
            decoder_attention_heads=16, max_position_embeddings=1024, activation_function="gelu")
WHISPER = dict(vocab_size=51865, num_mel_bins=80, d_model=384, encoder_layers=4, decoder_layers=4, encoder_attention_heads=6, decoder_attention_heads=6,
               encoder_ffn_dim=1536, decoder_ffn_dim=1536, max_source_positions=1500, max_target_positions=448, activation_function="gelu")
# Per family: position table (rows offset, or sinusoidal), layernorm_embedding, pre-norm layers, a final layer_norm per stack.
STYLE = {"bart": dict(offset=2, ln_embed=True, pre=False, final=False), "mbart": dict(offset=2, ln_embed=True, pre=True, final=True),
         "marian": dict(offset=0, ln_embed=False, pre=False, final=False), "whisper": dict(offset=0, ln_embed=False, pre=True, final=True)}


class Layer(nn.Module):
    def __init__(self, d, heads, ffn, act, decoder, pre, dev, k_bias=True):
        super().__init__()
        self.self_attn = Attention(d, heads, dev, k_bias=k_bias)
        self.self_attn_layer_norm = nn.LayerNorm(d, device=dev)
        if decoder:
            self.encoder_attn = Attention(d, heads, dev, k_bias=k_bias)
            self.encoder_attn_layer_norm = nn.LayerNorm(d, device=dev)
        self.activation_fn = act_module(act)
        self.fc1, self.fc2 = lin(d, ffn, True, dev), lin(ffn, d, True, dev)
        self.final_layer_norm = nn.LayerNorm(d, device=dev)
        self.pre = pre

    def sub(self, x, norm, f):
        return x + f(norm(x)) if self.pre else norm(x + f(x))

    def forward(self, x, memory=None):
        x = self.sub(x, self.self_attn_layer_norm, self.self_attn)
        if memory is not None:
            x = self.sub(x, self.encoder_attn_layer_norm, lambda y: self.encoder_attn(y, memory))
        return self.sub(x, self.final_layer_norm, lambda y: self.fc2(self.activation_fn(self.fc1(y))))


class Stack(nn.Module):
    def __init__(self, g, style, side, embed, positions, dev, k_bias=True):
        super().__init__()
        d = g("d_model")
        decoder = side == "decoder"
        if embed is not None:
            self.embed_tokens = embed
        self.embed_positions = positions
        self.layers = nn.ModuleList([Layer(d, g(f"{side}_attention_heads"), g(f"{side}_ffn_dim"), g("activation_function"), decoder, style["pre"], dev, k_bias)
                                     for _ in range(g(f"{side}_layers"))])
        if style["ln_embed"]:
            self.layernorm_embedding = nn.LayerNorm(d, device=dev)
        if style["final"]:
            self.layer_norm = nn.LayerNorm(d, device=dev)
        self.offset = style["offset"]

    def forward(self, x, memory=None):
        if x.dtype == torch.long:  # token ids
            x = self.embed_tokens(x) + self.embed_positions(torch.arange(x.shape[1])[None].expand_as(x) + self.offset)
        else:  # Whisper's encoder: features after the convolutions, plus the whole table
            x = x + self.embed_positions.weight
        if hasattr(self, "layernorm_embedding"):
            x = self.layernorm_embedding(x)
        for layer in self.layers:
            x = layer(x, memory)
        return self.layer_norm(x) if hasattr(self, "layer_norm") else x


class EncoderDecoder(nn.Module):
    def __init__(self, encoder, decoder, shared=None, front=None):
        super().__init__()
        if shared is not None:
            self.shared = shared
        self.encoder, self.decoder = encoder, decoder
        self.front = front

    def forward(self, src, tgt):
        x = self.front(src) if self.front else src
        return self.decoder(tgt, self.encoder(x))


def bart_like(cfg, dev):
    fam = cfg["model_type"]
    style = STYLE[fam]
    defaults = dict(BART, vocab_size=58101) if fam == "marian" else BART
    g = lambda k: get(cfg, k, defaults.get(k))
    d, vocab, positions = g("d_model"), g("vocab_size"), g("max_position_embeddings")
    share = get(cfg, "share_encoder_decoder_embeddings", True) if fam == "marian" else True
    target_vocab = vocab if share else get(cfg, "decoder_vocab_size", vocab)
    table = lambda: nn.Embedding(positions + style["offset"], d, device=dev)
    if share:
        shared = nn.Embedding(vocab, d, device=dev)
        enc_embed, dec_embed = shared, shared
    else:
        shared, enc_embed, dec_embed = None, nn.Embedding(vocab, d, device=dev), nn.Embedding(target_vocab, d, device=dev)
    model = EncoderDecoder(Stack(g, style, "encoder", enc_embed, table(), dev), Stack(g, style, "decoder", dec_embed, table(), dev), shared)
    if arch(cfg, "Model").endswith("Model") and arch(cfg, "Model") != "MarianMTModel":
        return model
    head = lin(d, target_vocab, False, dev)
    if get(cfg, "tie_word_embeddings", True):
        head.weight = dec_embed.weight
    top = Module(model=model, lm_head=head)
    top.register_buffer("final_logits_bias", torch.zeros(1, target_vocab, device=dev))
    top.forward = lambda src, tgt: head(model(src, tgt)) + top.final_logits_bias
    return top


def whisper(cfg, dev):
    g = lambda k: get(cfg, k, WHISPER.get(k))
    d = g("d_model")
    enc = Stack(g, STYLE["whisper"], "encoder", None, nn.Embedding(g("max_source_positions"), d, device=dev), dev, k_bias=False)
    enc.conv1 = nn.Conv1d(g("num_mel_bins"), d, 3, padding=1, device=dev)
    enc.conv2 = nn.Conv1d(d, d, 3, stride=2, padding=1, device=dev)
    gelu = nn.GELU()
    dec = Stack(g, STYLE["whisper"], "decoder", nn.Embedding(g("vocab_size"), d, device=dev), nn.Embedding(g("max_target_positions"), d, device=dev), dev,
                k_bias=False)
    model = EncoderDecoder(enc, dec, front=None)
    stack_forward = enc.forward
    enc.forward = lambda features, memory=None: stack_forward(gelu(enc.conv2(gelu(enc.conv1(features)))).transpose(1, 2))
    if arch(cfg, "WhisperForConditionalGeneration") == "WhisperModel":
        return model
    head = lin(d, g("vocab_size"), False, dev)
    if get(cfg, "tie_word_embeddings", True):
        head.weight = dec.embed_tokens.weight
    top = Module(model=model, proj_out=head)
    top.forward = lambda features, ids: head(model(features, ids))
    return top


BUILDERS = {"bart": bart_like, "mbart": bart_like, "marian": bart_like, "whisper": whisper}


# ---------------------------------------------------------------- configs

def bart_cfg(arch_, fam, vocab, d, layers, ffn, heads, positions, **more):
    return {"architectures": [arch_], "model_type": fam, "activation_function": "gelu", "d_model": d, "decoder_attention_heads": heads, "decoder_ffn_dim": ffn,
            "decoder_layers": layers, "encoder_attention_heads": heads, "encoder_ffn_dim": ffn, "encoder_layers": layers, "max_position_embeddings": positions,
            "vocab_size": vocab, **more}


def whisper_cfg(d, layers, heads, ffn):
    return {"architectures": ["WhisperForConditionalGeneration"], "model_type": "whisper", "activation_function": "gelu", "d_model": d,
            "decoder_attention_heads": heads, "decoder_ffn_dim": ffn, "decoder_layers": layers, "encoder_attention_heads": heads, "encoder_ffn_dim": ffn,
            "encoder_layers": layers, "max_source_positions": 1500, "max_target_positions": 448, "num_mel_bins": 80, "vocab_size": 51865}


REAL = {
    "bart-base": bart_cfg("BartModel", "bart", 50265, 768, 6, 3072, 12, 1024),
    "bart-large": bart_cfg("BartModel", "bart", 50265, 1024, 12, 4096, 16, 1024),
    "mbart-large-50": bart_cfg("MBartForConditionalGeneration", "mbart", 250054, 1024, 12, 4096, 16, 1024),
    "opus-mt-en-de": bart_cfg("MarianMTModel", "marian", 58101, 512, 6, 2048, 8, 512, activation_function="swish", decoder_vocab_size=58101,
                              share_encoder_decoder_embeddings=True),
    "whisper-tiny": whisper_cfg(384, 4, 6, 1536),
    "whisper-base": whisper_cfg(512, 6, 8, 2048),
}

SMALL = {"d_model": 16, "encoder_layers": 2, "decoder_layers": 3, "encoder_ffn_dim": 24, "decoder_ffn_dim": 20, "encoder_attention_heads": 4,
         "decoder_attention_heads": 2, "max_position_embeddings": 12, "vocab_size": 61}
TEXT = [("ids", [9], 61), ("ids", [6], 61)]
TINY = {
    "tiny-bart": ({"architectures": ["BartForConditionalGeneration"], "model_type": "bart", **SMALL}, TEXT),
    "tiny-bart-model": ({"architectures": ["BartModel"], "model_type": "bart", **SMALL}, TEXT),
    "tiny-mbart": ({"architectures": ["MBartForConditionalGeneration"], "model_type": "mbart", **SMALL}, TEXT),
    "tiny-marian": ({"architectures": ["MarianMTModel"], "model_type": "marian", **SMALL, "activation_function": "swish"}, TEXT),
    "tiny-marian-split": ({"architectures": ["MarianMTModel"], "model_type": "marian", **SMALL, "share_encoder_decoder_embeddings": False,
                           "decoder_vocab_size": 53}, [("ids", [9], 61), ("ids", [6], 53)]),
    "tiny-whisper": ({"architectures": ["WhisperForConditionalGeneration"], "model_type": "whisper", "d_model": 16, "encoder_layers": 2, "decoder_layers": 2,
                      "encoder_attention_heads": 2, "decoder_attention_heads": 4, "encoder_ffn_dim": 24, "decoder_ffn_dim": 32, "num_mel_bins": 8,
                      "max_source_positions": 10, "max_target_positions": 12, "vocab_size": 61}, [("float", [8, 20]), ("ids", [7], 61)]),
    "tiny-whisper-model": ({"architectures": ["WhisperModel"], "model_type": "whisper", "d_model": 16, "encoder_layers": 1, "decoder_layers": 1,
                            "encoder_attention_heads": 2, "decoder_attention_heads": 2, "encoder_ffn_dim": 24, "decoder_ffn_dim": 24, "num_mel_bins": 8,
                            "max_source_positions": 10, "max_target_positions": 12, "vocab_size": 61}, [("float", [8, 20]), ("ids", [7], 61)]),
}
