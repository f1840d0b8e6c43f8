"""Vision-language models in plain torch under `transformers`' module names, with their config classes' defaults:
LLaVA (a CLIP tower, the projector, a Llama text model) and Gemma 3 (a SigLIP tower, the pooled projector, the Gemma 3
text model). The image's tokens go before the text's."""

import math

import torch
import torch.nn as nn

from .classic import decoder as build_classic_decoder
from .common import Module, act_module, get, lin
from .llama_like import build as build_llama_like
from .vision import CLIP_VISION, LLAVA_VISION, SIGLIP_VISION, VisionTower, reader


class VisionLanguage(nn.Module):
    def __init__(self, cfg, dev):
        super().__init__()
        gemma = cfg["model_type"] == "gemma3"
        text_cfg = dict(cfg.get("text_config") or {})
        text_cfg.setdefault("model_type", "gemma3_text" if gemma else "llama")
        if text_cfg["model_type"] == "llama":  # LlamaConfig's defaults for the keys the file leaves out
            text_cfg = {"vocab_size": 32000, "hidden_size": 4096, "intermediate_size": 11008, "num_hidden_layers": 32, "num_attention_heads": 32, **text_cfg}
        text_cfg["architectures"] = ["Model"]
        lm = (build_llama_like if text_cfg["model_type"] in ("gemma3_text",) else build_classic_decoder)(text_cfg, dev)
        vcfg = cfg.get("vision_config")
        v = reader(vcfg or {}, SIGLIP_VISION if gemma else (CLIP_VISION if vcfg is not None else LLAVA_VISION))
        tower = VisionTower(v, gemma, gemma and v("vision_use_head"), dev)
        h, vh = lm.embed_tokens.weight.shape[1], v("hidden_size")
        if gemma:
            projector = Module(mm_soft_emb_norm=RMSNormPlusOne(vh, dev))
            projector.mm_input_projection_weight = nn.Parameter(torch.zeros(vh, h, device=dev))
            grid = v("image_size") // v("patch_size")
            side = int(math.isqrt(get(cfg, "mm_tokens_per_image", 256)))
            projector.avg_pool = nn.AvgPool2d(grid // side, stride=grid // side)
            projector.forward = lambda x: torch.matmul(
                projector.mm_soft_emb_norm(projector.avg_pool(x.transpose(1, 2).reshape(x.shape[0], vh, grid, grid)).flatten(2).transpose(1, 2)),
                projector.mm_input_projection_weight)
        else:
            layers = get(cfg, "vision_feature_layer", -2)
            self.feature_layers = layers if isinstance(layers, list) else [layers]
            bias = get(cfg, "multimodal_projector_bias", True)
            projector = Module(linear_1=lin(vh * len(self.feature_layers), h, bias, dev), act=act_module(get(cfg, "projector_hidden_act", "gelu")),
                               linear_2=lin(h, h, bias, dev))
            projector.forward = lambda x: projector.linear_2(projector.act(projector.linear_1(x)))
            self.drop_cls = get(cfg, "vision_feature_select_strategy", "default") == "default"
        self.vision_tower = Module(vision_model=tower)
        self.multi_modal_projector, self.language_model, self.gemma = projector, lm, gemma

    def forward(self, ids, pixels):
        pooled, hidden = self.vision_tower.vision_model(pixels)
        if self.gemma:
            image = self.multi_modal_projector(pooled)
        else:
            feats = [hidden[f] for f in self.feature_layers]
            feats = [f[:, 1:] if self.drop_cls else f for f in feats]
            image = self.multi_modal_projector(torch.cat(feats, dim=-1))
        lm = self.language_model
        x = torch.cat([image, lm.embed_tokens(ids)], dim=1)
        for layer in lm.layers:
            x = layer(x)
        return lm.norm(x)


class RMSNormPlusOne(nn.Module):
    def __init__(self, dim, dev):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(dim, device=dev))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-6) * (1 + self.weight)


def vision_language(cfg, dev):
    base = VisionLanguage(cfg, dev)
    gemma = base.gemma
    head = lin(base.language_model.embed_tokens.weight.shape[1], base.language_model.embed_tokens.weight.shape[0], False, dev)
    if get(cfg, "tie_word_embeddings", gemma):
        head.weight = base.language_model.embed_tokens.weight
    model = Module(model=base, lm_head=head)
    model.forward = lambda ids, pixels: head(base(ids, pixels))
    return model


BUILDERS = {"llava": vision_language, "gemma3": vision_language}
