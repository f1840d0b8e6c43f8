"""The configs of hf_torch/vision.py's families: the zoo's published configs ("real") and small configs that exercise each
option ("tiny"). Missing keys take the family defaults."""

from . import multimodal, vision

# ---------------------------------------------------------------- configs

# The zoo's models: the structural keys of each published config.json (huggingface.co/<repo>/config.json).
def dino_cfg(h, heads):
    return {"architectures": ["Dinov2Model"], "model_type": "dinov2", "hidden_size": h, "image_size": 518, "layerscale_value": 1.0, "mlp_ratio": 4,
            "num_attention_heads": heads, "num_channels": 3, "num_hidden_layers": 12, "patch_size": 14, "qkv_bias": True, "use_swiglu_ffn": False}


REAL = {
    # The file's id2label lists 1,000 ImageNet labels.
    "vit-base-patch16-224": {"architectures": ["ViTForImageClassification"], "model_type": "vit", "hidden_act": "gelu", "hidden_size": 768, "image_size": 224,
                             "intermediate_size": 3072, "num_attention_heads": 12, "num_channels": 3, "num_hidden_layers": 12, "num_labels": 1000,
                             "patch_size": 16, "qkv_bias": True},
    "dinov2-small": dino_cfg(384, 6),
    "dinov2-base": dino_cfg(768, 12),
    "clip-vit-base-patch32": {"architectures": ["CLIPModel"], "model_type": "clip", "projection_dim": 512,
                              "text_config": {"hidden_act": "quick_gelu", "hidden_size": 512, "intermediate_size": 2048, "max_position_embeddings": 77,
                                              "model_type": "clip_text_model", "num_attention_heads": 8, "num_hidden_layers": 12, "projection_dim": 512,
                                              "vocab_size": 49408},
                              "vision_config": {"hidden_act": "quick_gelu", "hidden_size": 768, "image_size": 224, "intermediate_size": 3072,
                                                "model_type": "clip_vision_model", "num_attention_heads": 12, "num_hidden_layers": 12, "patch_size": 32,
                                                "projection_dim": 512}},
    "siglip-base-patch16-224": {"architectures": ["SiglipModel"], "model_type": "siglip",
                                "text_config": {"hidden_size": 768, "intermediate_size": 3072, "model_type": "siglip_text_model", "num_attention_heads": 12,
                                                "vocab_size": 32000},
                                "vision_config": {"hidden_size": 768, "image_size": 224, "intermediate_size": 3072, "model_type": "siglip_vision_model",
                                                  "num_attention_heads": 12, "patch_size": 16}},
    "llava-1.5-7b": {"architectures": ["LlavaForConditionalGeneration"], "model_type": "llava", "projector_hidden_act": "gelu",
                     "text_config": {"architectures": ["LlamaForCausalLM"], "max_position_embeddings": 4096, "model_type": "llama", "vocab_size": 32064},
                     "tie_word_embeddings": False,
                     "vision_config": {"hidden_size": 1024, "image_size": 336, "intermediate_size": 4096, "model_type": "clip_vision_model",
                                       "num_attention_heads": 16, "num_hidden_layers": 24, "patch_size": 14, "projection_dim": 768, "vocab_size": 32000},
                     "vision_feature_layer": -2, "vision_feature_select_strategy": "default", "vocab_size": 32064},
    "gemma-3-4b-it": {"architectures": ["Gemma3ForConditionalGeneration"], "model_type": "gemma3", "mm_tokens_per_image": 256,
                      "text_config": {"hidden_size": 2560, "intermediate_size": 10240, "model_type": "gemma3_text", "num_hidden_layers": 34,
                                      "sliding_window": 1024},
                      "vision_config": {"hidden_size": 1152, "image_size": 896, "intermediate_size": 4304, "model_type": "siglip_vision_model",
                                        "num_attention_heads": 16, "num_hidden_layers": 27, "patch_size": 14, "vision_use_head": False}},
}

IMAGE = [("float", [3, 32, 32])]
TOWER = {"hidden_size": 16, "intermediate_size": 24, "num_attention_heads": 2, "num_hidden_layers": 2}
TEXT_TOWER = {**TOWER, "max_position_embeddings": 7, "vocab_size": 61}
VISION_TOWER = {**TOWER, "image_size": 32, "patch_size": 8}
LLAMA_TEXT = {"model_type": "llama", "hidden_size": 32, "intermediate_size": 48, "num_attention_heads": 4, "num_key_value_heads": 2,
              "num_hidden_layers": 2, "vocab_size": 97}
TINY = {
    "tiny-vit": ({"architectures": ["ViTForImageClassification"], "model_type": "vit", **VISION_TOWER, "num_labels": 5}, IMAGE),
    "tiny-vit-model": ({"architectures": ["ViTModel"], "model_type": "vit", **VISION_TOWER, "qkv_bias": False, "pooler_output_size": 12}, IMAGE),
    "tiny-dinov2": ({"architectures": ["Dinov2Model"], "model_type": "dinov2", **VISION_TOWER, "mlp_ratio": 3}, IMAGE),
    "tiny-dinov2-swiglu": ({"architectures": ["Dinov2Model"], "model_type": "dinov2", **VISION_TOWER, "use_swiglu_ffn": True}, IMAGE),
    "tiny-clip": ({"architectures": ["CLIPModel"], "model_type": "clip", "projection_dim": 12, "text_config": TEXT_TOWER, "vision_config": VISION_TOWER},
                  [("ids", [7], 61), ("float", [3, 32, 32])]),
    "tiny-siglip": ({"architectures": ["SiglipModel"], "model_type": "siglip", "text_config": {**TEXT_TOWER, "projection_size": 16},
                     "vision_config": VISION_TOWER}, [("ids", [7], 61), ("float", [3, 32, 32])]),
    "tiny-llava": ({"architectures": ["LlavaForConditionalGeneration"], "model_type": "llava", "text_config": LLAMA_TEXT,
                    "vision_config": {**VISION_TOWER, "num_hidden_layers": 3}}, [("ids", [9], 97), ("float", [3, 32, 32])]),
    "tiny-llava-full": ({"architectures": ["LlavaForConditionalGeneration"], "model_type": "llava", "text_config": LLAMA_TEXT,
                         "vision_config": VISION_TOWER, "vision_feature_layer": [-3, -1], "vision_feature_select_strategy": "full",
                         "multimodal_projector_bias": False, "tie_word_embeddings": True}, [("ids", [9], 97), ("float", [3, 32, 32])]),
    "tiny-gemma3": ({"architectures": ["Gemma3ForConditionalGeneration"], "model_type": "gemma3", "mm_tokens_per_image": 4,
                     "text_config": {"model_type": "gemma3_text", "hidden_size": 32, "intermediate_size": 48, "num_attention_heads": 2,
                                     "num_key_value_heads": 1, "head_dim": 16, "num_hidden_layers": 2, "vocab_size": 97},
                     "vision_config": {**VISION_TOWER, "vision_use_head": False}}, [("ids", [9], 97), ("float", [3, 32, 32])]),
}

BUILDERS = {**vision.BUILDERS, **multimodal.BUILDERS}
op_cases = vision.op_cases
