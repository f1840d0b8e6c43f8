"""The configs of hf_torch/decoders.py's families: the zoo's published configs ("real") and small configs that exercise each
option ("tiny"). Missing keys take the family defaults."""

from . import decoders

# ---------------------------------------------------------------- configs

# The zoo's models: the structural keys of each published config.json (huggingface.co/<repo>/config.json).
def neox_cfg(h, layers, heads, inter, vocab):
    return {"architectures": ["GPTNeoXForCausalLM"], "model_type": "gpt_neox", "hidden_act": "gelu", "hidden_size": h, "intermediate_size": inter,
            "max_position_embeddings": 2048, "num_attention_heads": heads, "num_hidden_layers": layers, "rotary_pct": 0.25,
            "tie_word_embeddings": False, "use_parallel_residual": True, "vocab_size": vocab}


def opt_cfg(h, layers, heads, ffn, proj=None, pre=True):
    return {"architectures": ["OPTForCausalLM"], "model_type": "opt", "activation_function": "relu", "do_layer_norm_before": pre, "ffn_dim": ffn,
            "hidden_size": h, "max_position_embeddings": 2048, "num_attention_heads": heads, "num_hidden_layers": layers, "vocab_size": 50272,
            "word_embed_proj_dim": proj or h}


def bigcode_cfg(h, layers, heads, inner, positions, vocab):
    return {"architectures": ["GPTBigCodeForCausalLM"], "model_type": "gpt_bigcode", "activation_function": "gelu_pytorch_tanh", "multi_query": True,
            "n_embd": h, "n_head": heads, "n_inner": inner, "n_layer": layers, "n_positions": positions, "vocab_size": vocab}


REAL = {
    "pythia-70m": neox_cfg(512, 6, 8, 2048, 50304),
    "gpt-neox-20b": neox_cfg(6144, 44, 64, 24576, 50432),
    "gpt-j-6b": {"architectures": ["GPTJForCausalLM"], "model_type": "gptj", "activation_function": "gelu_new", "n_embd": 4096, "n_head": 16,
                 "n_inner": None, "n_layer": 28, "n_positions": 2048, "rotary_dim": 64, "tie_word_embeddings": False, "vocab_size": 50400},
    "opt-125m": opt_cfg(768, 12, 12, 3072),
    "opt-350m": opt_cfg(1024, 24, 16, 4096, proj=512, pre=False),
    "opt-1.3b": opt_cfg(2048, 24, 32, 8192),
    "bloom-560m": {"architectures": ["BloomForCausalLM"], "model_type": "bloom", "hidden_size": 1024, "n_head": 16, "n_layer": 24, "vocab_size": 250880},
    "falcon-7b": {"architectures": ["FalconForCausalLM"], "model_type": "falcon", "alibi": False, "bias": False, "hidden_size": 4544,
                  "multi_query": True, "new_decoder_architecture": False, "num_attention_heads": 71, "num_hidden_layers": 32, "parallel_attn": True,
                  "vocab_size": 65024},
    "mpt-7b": {"architectures": ["MPTForCausalLM"], "model_type": "mpt", "d_model": 4096, "expansion_ratio": 4, "learned_pos_emb": True, "max_seq_len": 2048,
               "n_heads": 32, "n_layers": 32, "no_bias": True, "vocab_size": 50432},
    "starcoderbase-1b": bigcode_cfg(2048, 24, 16, 8192, 8192, 49152),
    "starcoder": bigcode_cfg(6144, 40, 48, 24576, 8192, 49152),
}

# Small configs, one or more per option; missing keys take the family defaults. Inputs: token ids [batch, 9].
IDS = [("ids", [9], 97)]
TINY = {
    "tiny-gpt-neox": ({"architectures": ["GPTNeoXForCausalLM"], "model_type": "gpt_neox", "hidden_size": 32, "intermediate_size": 48,
                       "num_attention_heads": 4, "num_hidden_layers": 2, "vocab_size": 97}, IDS),
    "tiny-gpt-neox-model": ({"architectures": ["GPTNeoXModel"], "model_type": "gpt_neox", "hidden_size": 32, "intermediate_size": 48, "attention_bias": False,
                             "num_attention_heads": 4, "num_hidden_layers": 2, "use_parallel_residual": False, "vocab_size": 97}, IDS),
    "tiny-gptj": ({"architectures": ["GPTJForCausalLM"], "model_type": "gptj", "n_embd": 32, "n_head": 4, "n_inner": 40, "n_layer": 2, "vocab_size": 97}, IDS),
    "tiny-opt": ({"architectures": ["OPTForCausalLM"], "model_type": "opt", "hidden_size": 32, "ffn_dim": 48, "max_position_embeddings": 20,
                  "num_attention_heads": 4, "num_hidden_layers": 2, "vocab_size": 97, "word_embed_proj_dim": 16}, IDS),
    "tiny-opt-post": ({"architectures": ["OPTForCausalLM"], "model_type": "opt", "hidden_size": 32, "ffn_dim": 48, "max_position_embeddings": 20,
                       "num_attention_heads": 4, "num_hidden_layers": 2, "vocab_size": 97, "do_layer_norm_before": False, "enable_bias": False,
                       "layer_norm_elementwise_affine": False}, IDS),
    "tiny-opt-model": ({"architectures": ["OPTModel"], "model_type": "opt", "hidden_size": 32, "ffn_dim": 48, "max_position_embeddings": 20,
                        "num_attention_heads": 4, "num_hidden_layers": 2, "vocab_size": 97, "_remove_final_layer_norm": True}, IDS),
    "tiny-bloom": ({"architectures": ["BloomForCausalLM"], "model_type": "bloom", "hidden_size": 32, "n_head": 4, "n_layer": 2, "vocab_size": 97}, IDS),
    "tiny-falcon-mq": ({"architectures": ["FalconForCausalLM"], "model_type": "falcon", "hidden_size": 32, "num_attention_heads": 4,
                        "num_hidden_layers": 2, "vocab_size": 97}, IDS),
    "tiny-falcon-new": ({"architectures": ["FalconForCausalLM"], "model_type": "falcon", "hidden_size": 32, "num_attention_heads": 4, "num_kv_heads": 2,
                         "new_decoder_architecture": True, "bias": True, "ffn_hidden_size": 40, "num_hidden_layers": 2, "vocab_size": 97}, IDS),
    "tiny-falcon-seq": ({"architectures": ["FalconModel"], "model_type": "falcon", "hidden_size": 32, "num_attention_heads": 4, "multi_query": False,
                         "parallel_attn": False, "num_hidden_layers": 2, "vocab_size": 97}, IDS),
    "tiny-mpt": ({"architectures": ["MptForCausalLM"], "model_type": "mpt", "d_model": 32, "n_heads": 4, "n_layers": 2, "expansion_ratio": 8,
                  "vocab_size": 97}, IDS),
    "tiny-bigcode": ({"architectures": ["GPTBigCodeForCausalLM"], "model_type": "gpt_bigcode", "n_embd": 32, "n_head": 4, "n_layer": 2,
                      "n_positions": 16, "vocab_size": 97}, IDS),
    "tiny-bigcode-mha": ({"architectures": ["GPTBigCodeModel"], "model_type": "gpt_bigcode", "n_embd": 32, "n_head": 4, "n_inner": 40, "n_layer": 2,
                          "multi_query": False, "n_positions": 16, "vocab_size": 97}, IDS),
}

BUILDERS = decoders.BUILDERS
