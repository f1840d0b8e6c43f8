"""Vision transformers in plain torch under `transformers`' module names, with their config classes' defaults: ViT
(ViTModel, ViTForImageClassification), DINOv2 (layer scales, mask token, SwiGLU), and CLIP and SigLIP (both towers,
projections or heads, logit_scale and logit_bias); their towers serve multimodal.py too."""


import torch
import torch.nn as nn
import torch.nn.functional as F

from .common import Attention, Module, act_module, arch, attend, get, lin

VIT = dict(hidden_size=768, num_hidden_layers=12, num_attention_heads=12, intermediate_size=3072, hidden_act="gelu", image_size=224, patch_size=16,
           num_channels=3, qkv_bias=True)
DINO = dict(VIT, patch_size=14, mlp_ratio=4, use_swiglu_ffn=False)
CLIP_TEXT = dict(vocab_size=49408, hidden_size=512, intermediate_size=2048, num_hidden_layers=12, num_attention_heads=8, max_position_embeddings=77,
                 hidden_act="quick_gelu")
CLIP_VISION = dict(hidden_size=768, intermediate_size=3072, num_hidden_layers=12, num_attention_heads=12, num_channels=3, image_size=224, patch_size=32,
                   hidden_act="quick_gelu")
SIGLIP_TEXT = dict(vocab_size=32000, hidden_size=768, intermediate_size=3072, num_hidden_layers=12, num_attention_heads=12, max_position_embeddings=64,
                   hidden_act="gelu_pytorch_tanh")
SIGLIP_VISION = dict(hidden_size=768, intermediate_size=3072, num_hidden_layers=12, num_attention_heads=12, num_channels=3, image_size=224, patch_size=16,
                     hidden_act="gelu_pytorch_tanh", vision_use_head=True)
LLAVA_VISION = dict(CLIP_VISION, hidden_size=1024, intermediate_size=4096, num_hidden_layers=24, num_attention_heads=16, image_size=336, patch_size=14)


def reader(cfg, defaults):
    return lambda k: get(cfg, k, defaults.get(k))


class ViTSelfAttention(nn.Module):
    def __init__(self, h, heads, bias, dev):
        super().__init__()
        self.query, self.key, self.value = lin(h, h, bias, dev), lin(h, h, bias, dev), lin(h, h, bias, dev)
        self.heads = heads

    def forward(self, x):
        return attend(self.query(x), self.key(x), self.value(x), self.heads, self.heads, x.shape[-1] // self.heads)


class ViTLayer(nn.Module):
    def __init__(self, g, dino, dev):
        super().__init__()
        h = g("hidden_size")
        attention = Module(attention=ViTSelfAttention(h, g("num_attention_heads"), g("qkv_bias"), dev), output=Module(dense=lin(h, h, True, dev)))
        attention.forward = lambda x: attention.output.dense(attention.attention(x))
        self.attention, self.dino = attention, dino
        if dino:
            self.norm1, self.norm2 = nn.LayerNorm(h, device=dev), nn.LayerNorm(h, device=dev)
            self.layer_scale1 = Module()
            self.layer_scale1.lambda1 = nn.Parameter(torch.ones(h, device=dev))
            self.layer_scale2 = Module()
            self.layer_scale2.lambda1 = nn.Parameter(torch.ones(h, device=dev))
            i = int(h * g("mlp_ratio"))
            if g("use_swiglu_ffn"):
                j = (int(i * 2 / 3) + 7) // 8 * 8
                self.mlp = Module(weights_in=lin(h, 2 * j, True, dev), weights_out=lin(j, h, True, dev))
                self.mlp.forward = lambda x: swiglu(self.mlp, x)
            else:
                self.mlp = Module(fc1=lin(h, i, True, dev), activation=act_module(g("hidden_act")), fc2=lin(i, h, True, dev))
                self.mlp.forward = lambda x: self.mlp.fc2(self.mlp.activation(self.mlp.fc1(x)))
        else:
            self.layernorm_before, self.layernorm_after = nn.LayerNorm(h, device=dev), nn.LayerNorm(h, device=dev)
            self.intermediate = Module(dense=lin(h, g("intermediate_size"), True, dev), intermediate_act_fn=act_module(g("hidden_act")))
            self.output = Module(dense=lin(g("intermediate_size"), h, True, dev))

    def forward(self, x):
        if self.dino:
            x = x + self.attention(self.norm1(x)) * self.layer_scale1.lambda1
            return x + self.mlp(self.norm2(x)) * self.layer_scale2.lambda1
        x = x + self.attention(self.layernorm_before(x))
        return x + self.output.dense(self.intermediate.intermediate_act_fn(self.intermediate.dense(self.layernorm_after(x))))


def swiglu(m, x):
    a, b = m.weights_in(x).chunk(2, dim=-1)
    return m.weights_out(F.silu(a) * b)


def vit(cfg, dev):
    dino = cfg["model_type"] == "dinov2"
    g = reader(cfg, DINO if dino else VIT)
    h, p = g("hidden_size"), g("patch_size")
    n = (g("image_size") // p) ** 2
    emb = Module(patch_embeddings=Module(projection=nn.Conv2d(g("num_channels"), h, p, stride=p, device=dev)))
    emb.cls_token = nn.Parameter(torch.zeros(1, 1, h, device=dev))
    if dino:
        emb.mask_token = nn.Parameter(torch.zeros(1, h, device=dev))
    emb.position_embeddings = nn.Parameter(torch.zeros(1, n + 1, h, device=dev))

    def embed(pixels):
        x = emb.patch_embeddings.projection(pixels).flatten(2).transpose(1, 2)
        return torch.cat([emb.cls_token.expand(x.shape[0], -1, -1), x], dim=1) + emb.position_embeddings

    emb.forward = embed
    enc = Module(layer=nn.ModuleList([ViTLayer(g, dino, dev) for _ in range(g("num_hidden_layers"))]))
    base = Module(embeddings=emb, encoder=enc, layernorm=nn.LayerNorm(h, device=dev))
    classify = arch(cfg, "ViTModel") == "ViTForImageClassification"
    if not dino and not classify:
        base.pooler = Module(dense=lin(h, get(cfg, "pooler_output_size", h), True, dev), activation=nn.Tanh())

    def forward(pixels):
        x = emb(pixels)
        for layer in enc.layer:
            x = layer(x)
        x = base.layernorm(x)
        if hasattr(base, "pooler"):
            base.pooler.activation(base.pooler.dense(x[:, 0]))
        return x

    base.forward = forward
    if not classify:
        return base
    labels = len(cfg["id2label"]) if cfg.get("id2label") else get(cfg, "num_labels", 2)
    model = Module(vit=base, classifier=lin(h, labels, True, dev))
    model.forward = lambda pixels: model.classifier(base(pixels)[:, 0])
    return model


# ---------------------------------------------------------------- CLIP and SigLIP towers

class TowerLayer(nn.Module):
    def __init__(self, g, dev):
        super().__init__()
        h, i = g("hidden_size"), g("intermediate_size")
        self.self_attn = Attention(h, g("num_attention_heads"), dev)
        self.layer_norm1 = nn.LayerNorm(h, device=dev)
        self.mlp = Module(activation_fn=act_module(g("hidden_act")), fc1=lin(h, i, True, dev), fc2=lin(i, h, True, dev))
        self.layer_norm2 = nn.LayerNorm(h, device=dev)

    def forward(self, x):
        x = x + self.self_attn(self.layer_norm1(x))
        return x + self.mlp.fc2(self.mlp.activation_fn(self.mlp.fc1(self.layer_norm2(x))))


class MultiheadAttention(nn.Module):
    """nn.MultiheadAttention's parameters (in_proj_weight, in_proj_bias, out_proj), its forward as explicit matmuls."""

    def __init__(self, h, heads, dev):
        super().__init__()
        self.in_proj_weight = nn.Parameter(torch.randn(3 * h, h, device=dev) * 0.02 if dev != "meta" else torch.empty(3 * h, h, device=dev))
        self.in_proj_bias = nn.Parameter(torch.zeros(3 * h, device=dev))
        self.out_proj = lin(h, h, True, dev)
        self.heads = heads

    def forward(self, q, kv):
        h = q.shape[-1]
        w_q, w_kv = self.in_proj_weight.split([h, 2 * h])
        b_q, b_kv = self.in_proj_bias.split([h, 2 * h])
        k, v = F.linear(kv, w_kv, b_kv).chunk(2, dim=-1)
        return self.out_proj(attend(F.linear(q, w_q, b_q), k, v, self.heads, self.heads, h // self.heads))


class VisionTower(nn.Module):
    """CLIPVisionTransformer or SiglipVisionTransformer (vision_model); forward returns (pooled, hidden_states)."""

    def __init__(self, g, siglip, head, dev):
        super().__init__()
        h, p = g("hidden_size"), g("patch_size")
        n = (g("image_size") // p) ** 2
        self.embeddings = Module(patch_embedding=nn.Conv2d(g("num_channels"), h, p, stride=p, bias=siglip, device=dev),
                                 position_embedding=nn.Embedding(n if siglip else n + 1, h, device=dev))
        if not siglip:
            self.embeddings.class_embedding = nn.Parameter(torch.zeros(h, device=dev))
            self.pre_layrnorm = nn.LayerNorm(h, device=dev)
        self.encoder = Module(layers=nn.ModuleList([TowerLayer(g, dev) for _ in range(g("num_hidden_layers"))]))
        self.post_layernorm = nn.LayerNorm(h, device=dev)
        if head:
            self.head = Module(attention=MultiheadAttention(h, g("num_attention_heads"), dev), layernorm=nn.LayerNorm(h, device=dev),
                               mlp=Module(activation_fn=act_module(g("hidden_act")), fc1=lin(h, g("intermediate_size"), True, dev),
                                          fc2=lin(g("intermediate_size"), h, True, dev)))
            self.head.probe = nn.Parameter(torch.randn(1, 1, h, device=dev) if dev != "meta" else torch.empty(1, 1, h, device=dev))
        self.siglip = siglip

    def forward(self, pixels):
        e = self.embeddings
        x = e.patch_embedding(pixels).flatten(2).transpose(1, 2)
        if not self.siglip:
            x = torch.cat([e.class_embedding.expand(x.shape[0], 1, -1), x], dim=1)
        x = x + e.position_embedding.weight
        if not self.siglip:
            x = self.pre_layrnorm(x)
        hidden = [x]
        for layer in self.encoder.layers:
            x = layer(x)
            hidden.append(x)
        if not self.siglip:
            return self.post_layernorm(x[:, 0]), hidden
        x = self.post_layernorm(x)
        if not hasattr(self, "head"):
            return x, hidden
        hd = self.head
        y = hd.attention(hd.probe.repeat(x.shape[0], 1, 1), x)
        y = y + hd.mlp.fc2(hd.mlp.activation_fn(hd.mlp.fc1(hd.layernorm(y))))
        return y[:, 0], hidden


class TextTower(nn.Module):
    def __init__(self, g, siglip, dev):
        super().__init__()
        h = g("hidden_size")
        self.embeddings = Module(token_embedding=nn.Embedding(g("vocab_size"), h, device=dev),
                                 position_embedding=nn.Embedding(g("max_position_embeddings"), h, device=dev))
        self.encoder = Module(layers=nn.ModuleList([TowerLayer(g, dev) for _ in range(g("num_hidden_layers"))]))
        self.final_layer_norm = nn.LayerNorm(h, device=dev)
        if siglip:
            self.head = lin(h, g("projection_size") or h, True, dev)

    def forward(self, ids):
        x = self.embeddings.token_embedding(ids) + self.embeddings.position_embedding(torch.arange(ids.shape[1])[None].expand_as(ids))
        for layer in self.encoder.layers:
            x = layer(x)
        pooled = self.final_layer_norm(x)[:, -1]
        return self.head(pooled) if hasattr(self, "head") else pooled


class Contrastive(nn.Module):
    def __init__(self, cfg, dev):
        super().__init__()
        siglip = cfg["model_type"] == "siglip"
        t = reader(cfg.get("text_config") or {}, SIGLIP_TEXT if siglip else CLIP_TEXT)
        v = reader(cfg.get("vision_config") or {}, SIGLIP_VISION if siglip else CLIP_VISION)
        self.text_model, self.vision_model = TextTower(t, siglip, dev), VisionTower(v, siglip, siglip and v("vision_use_head"), dev)
        if siglip:
            self.logit_scale, self.logit_bias = nn.Parameter(torch.zeros(1, device=dev)), nn.Parameter(torch.zeros(1, device=dev))
        else:
            dim = get(cfg, "projection_dim", 512)
            self.visual_projection, self.text_projection = lin(v("hidden_size"), dim, False, dev), lin(t("hidden_size"), dim, False, dev)
            self.logit_scale = nn.Parameter(torch.tensor(2.6592, device=dev))

    def forward(self, ids, pixels):
        text, image = self.text_model(ids), self.vision_model(pixels)[0]
        if hasattr(self, "text_projection"):
            text, image = self.text_projection(text), self.visual_projection(image)
        text, image = text / text.norm(dim=-1, keepdim=True), image / image.norm(dim=-1, keepdim=True)
        logits = torch.matmul(text, image.t()) * self.logit_scale.exp()
        return logits + self.logit_bias if hasattr(self, "logit_bias") else logits


BUILDERS = {"vit": vit, "dinov2": vit, "clip": lambda cfg, dev: Contrastive(cfg, dev), "siglip": lambda cfg, dev: Contrastive(cfg, dev)}


def op_cases():
    """The contrastive logits alone, as CLIP and SigLIP compute them: nncalc's `similarity` op."""
    from .measure import module_case

    class Logits(nn.Module):
        def __init__(self, bias, scalar):
            super().__init__()
            self.logit_scale = nn.Parameter(torch.tensor(2.0) if scalar else torch.ones(1))
            if bias:
                self.logit_bias = nn.Parameter(torch.zeros(1))

        def forward(self, text, image):
            text, image = text / text.norm(dim=-1, keepdim=True), image / image.norm(dim=-1, keepdim=True)
            logits = torch.matmul(text, image.t()) * self.logit_scale.exp()
            return logits + self.logit_bias if hasattr(self, "logit_bias") else logits

    return [module_case("similarity", {"scalar": True}, Logits(False, True), [[3, 8], [5, 8]]),
            module_case("similarity", {"bias": True}, Logits(True, False), [[2, 6], [2, 6]])]
