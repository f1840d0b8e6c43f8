"""The configs of the families nncalc built first: the zoo's published configs ("real", built on the meta device)
and small configs that exercise each option ("tiny", run forward). Missing keys take the family defaults."""


# The zoo's models: the structural keys of each published config.json (huggingface.co/<repo>/config.json).
def bert_cfg(layers, h, heads, arch="BertModel"):
    return {"architectures": [arch], "model_type": "bert", "hidden_size": h, "intermediate_size": 4 * h, "max_position_embeddings": 512,
            "num_attention_heads": heads, "num_hidden_layers": layers, "type_vocab_size": 2, "vocab_size": 30522, "hidden_act": "gelu"}


def gpt2_cfg(layers, h, heads):
    return {"architectures": ["GPT2LMHeadModel"], "model_type": "gpt2", "n_embd": h, "n_head": heads, "n_layer": layers,
            "n_positions": 1024, "vocab_size": 50257}


def llama_cfg(layers, h, heads, kv, inter, vocab=32000):
    return {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": h, "intermediate_size": inter,
            "num_attention_heads": heads, "num_hidden_layers": layers, "num_key_value_heads": kv, "tie_word_embeddings": False, "vocab_size": vocab}


def t5_cfg(layers, d, heads):
    return {"architectures": ["T5ForConditionalGeneration"], "model_type": "t5", "d_ff": 4 * d, "d_kv": 64, "d_model": d,
            "num_heads": heads, "num_layers": layers, "relative_attention_num_buckets": 32, "vocab_size": 32128}


MISTRAL = {"architectures": ["MistralForCausalLM"], "model_type": "mistral", "hidden_size": 4096, "intermediate_size": 14336,
           "num_attention_heads": 32, "num_hidden_layers": 32, "num_key_value_heads": 8, "tie_word_embeddings": False, "vocab_size": 32000}

REAL = {
    "bert-base-uncased": bert_cfg(12, 768, 12),
    "bert-base-uncased-mlm": bert_cfg(12, 768, 12, "BertForMaskedLM"),
    "bert-large-uncased": bert_cfg(24, 1024, 16),
    "gpt2": gpt2_cfg(12, 768, 12),
    "gpt2-medium": gpt2_cfg(24, 1024, 16),
    "gpt2-large": gpt2_cfg(36, 1280, 20),
    "gpt2-xl": gpt2_cfg(48, 1600, 25),
    "llama-2-7b": llama_cfg(32, 4096, 32, 32, 11008),
    "llama-2-13b": llama_cfg(40, 5120, 40, 40, 13824),
    "llama-2-70b": llama_cfg(80, 8192, 64, 8, 28672),
    "llama-3-8b": llama_cfg(32, 4096, 32, 8, 14336, 128256),
    "mistral-7b": MISTRAL,
    "mixtral-8x7b": {**MISTRAL, "architectures": ["MixtralForCausalLM"], "model_type": "mixtral", "num_local_experts": 8, "num_experts_per_tok": 2},
    "qwen2-7b": {"architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "hidden_size": 3584, "intermediate_size": 18944,
                 "num_attention_heads": 28, "num_hidden_layers": 28, "num_key_value_heads": 4, "tie_word_embeddings": False, "vocab_size": 152064},
    "qwen3-8b": {"architectures": ["Qwen3ForCausalLM"], "model_type": "qwen3", "attention_bias": False, "head_dim": 128, "hidden_size": 4096,
                 "intermediate_size": 12288, "num_attention_heads": 32, "num_hidden_layers": 36, "num_key_value_heads": 8,
                 "tie_word_embeddings": False, "vocab_size": 151936},
    "gemma-2b": {"architectures": ["GemmaForCausalLM"], "model_type": "gemma", "head_dim": 256, "hidden_size": 2048, "intermediate_size": 16384,
                 "num_attention_heads": 8, "num_hidden_layers": 18, "num_key_value_heads": 1, "vocab_size": 256000},
    "gemma-7b": {"architectures": ["GemmaForCausalLM"], "model_type": "gemma", "head_dim": 256, "hidden_size": 3072, "intermediate_size": 24576,
                 "num_attention_heads": 16, "num_hidden_layers": 28, "num_key_value_heads": 16, "vocab_size": 256000},
    "gemma-2-2b": {"architectures": ["Gemma2ForCausalLM"], "model_type": "gemma2", "head_dim": 256, "hidden_size": 2304, "intermediate_size": 9216,
                   "num_attention_heads": 8, "num_hidden_layers": 26, "num_key_value_heads": 4, "vocab_size": 256000},
    "gemma-2-9b": {"architectures": ["Gemma2ForCausalLM"], "model_type": "gemma2", "head_dim": 256, "hidden_size": 3584, "intermediate_size": 14336,
                   "num_attention_heads": 16, "num_hidden_layers": 42, "num_key_value_heads": 8, "vocab_size": 256000},
    "phi-2": {"architectures": ["PhiForCausalLM"], "model_type": "phi", "hidden_size": 2560, "intermediate_size": 10240, "num_attention_heads": 32,
              "num_hidden_layers": 32, "num_key_value_heads": 32, "tie_word_embeddings": False, "vocab_size": 51200},
    "t5-small": t5_cfg(6, 512, 8),
    "t5-base": t5_cfg(12, 768, 12),
}

# Small configs, one or more per option; missing keys take the family defaults.
TINY = {
    "tiny-bert": ({"architectures": ["BertModel"], "model_type": "bert", "hidden_size": 32, "intermediate_size": 48, "max_position_embeddings": 20,
                   "num_attention_heads": 4, "num_hidden_layers": 2, "type_vocab_size": 3, "vocab_size": 99}, 7),
    "tiny-bert-mlm": ({"architectures": ["BertForMaskedLM"], "model_type": "bert", "hidden_size": 32, "intermediate_size": 48,
                       "max_position_embeddings": 20, "num_attention_heads": 4, "num_hidden_layers": 2, "vocab_size": 99}, 7),
    "tiny-gpt2": ({"architectures": ["GPT2LMHeadModel"], "model_type": "gpt2", "n_embd": 24, "n_head": 3, "n_layer": 2, "n_positions": 16,
                   "vocab_size": 101}, 9),
    "tiny-gpt2-model": ({"architectures": ["GPT2Model"], "model_type": "gpt2", "n_embd": 24, "n_head": 3, "n_layer": 2, "n_inner": 40,
                         "n_positions": 16, "vocab_size": 101}, 9),
    "tiny-llama-bias": ({"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 32, "intermediate_size": 56,
                         "num_attention_heads": 4, "num_key_value_heads": 2, "num_hidden_layers": 2, "vocab_size": 97,
                         "attention_bias": True, "mlp_bias": True}, 9),
    "tiny-llama-model": ({"architectures": ["LlamaModel"], "model_type": "llama", "hidden_size": 32, "intermediate_size": 56,
                          "num_attention_heads": 4, "num_hidden_layers": 2, "vocab_size": 97, "tie_word_embeddings": True}, 9),
    "tiny-mistral": ({"architectures": ["MistralForCausalLM"], "model_type": "mistral", "hidden_size": 32, "intermediate_size": 56,
                      "num_attention_heads": 8, "num_hidden_layers": 2, "vocab_size": 97}, 9),
    "tiny-mixtral": ({"architectures": ["MixtralForCausalLM"], "model_type": "mixtral", "hidden_size": 32, "intermediate_size": 40,
                      "num_attention_heads": 4, "num_key_value_heads": 2, "num_hidden_layers": 2, "num_local_experts": 4,
                      "num_experts_per_tok": 2, "vocab_size": 97}, 9),
    "tiny-qwen2": ({"architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "hidden_size": 32, "intermediate_size": 56,
                    "num_attention_heads": 4, "num_key_value_heads": 2, "num_hidden_layers": 2, "vocab_size": 97}, 9),
    "tiny-qwen3": ({"architectures": ["Qwen3ForCausalLM"], "model_type": "qwen3", "hidden_size": 32, "intermediate_size": 56, "head_dim": 12,
                    "num_attention_heads": 4, "num_key_value_heads": 2, "num_hidden_layers": 2, "vocab_size": 97}, 9),
    "tiny-gemma": ({"architectures": ["GemmaForCausalLM"], "model_type": "gemma", "hidden_size": 24, "intermediate_size": 40, "head_dim": 16,
                    "num_attention_heads": 2, "num_key_value_heads": 1, "num_hidden_layers": 2, "vocab_size": 97}, 9),
    "tiny-gemma2": ({"architectures": ["Gemma2ForCausalLM"], "model_type": "gemma2", "hidden_size": 24, "intermediate_size": 40, "head_dim": 16,
                     "num_attention_heads": 4, "num_key_value_heads": 2, "num_hidden_layers": 2, "vocab_size": 97}, 9),
    "tiny-phi": ({"architectures": ["PhiForCausalLM"], "model_type": "phi", "hidden_size": 32, "intermediate_size": 64, "num_attention_heads": 4,
                  "num_hidden_layers": 2, "vocab_size": 97}, 9),
    "tiny-t5": ({"architectures": ["T5ForConditionalGeneration"], "model_type": "t5", "d_ff": 40, "d_kv": 6, "d_model": 16, "num_heads": 2,
                 "num_layers": 2, "num_decoder_layers": 3, "relative_attention_num_buckets": 8, "vocab_size": 50}, 10, 6),
    "tiny-t5-gated": ({"architectures": ["T5ForConditionalGeneration"], "model_type": "t5", "d_ff": 40, "d_kv": 8, "d_model": 16, "num_heads": 2,
                       "num_layers": 2, "feed_forward_proj": "gated-gelu", "tie_word_embeddings": False, "vocab_size": 50}, 10, 6),
    "tiny-t5-model": ({"architectures": ["T5Model"], "model_type": "t5", "d_ff": 40, "d_kv": 8, "d_model": 16, "num_heads": 2, "num_layers": 2,
                       "vocab_size": 50}, 10, 6),
    "tiny-t5-encoder": ({"architectures": ["T5EncoderModel"], "model_type": "t5", "d_ff": 40, "d_kv": 8, "d_model": 16, "num_heads": 2,
                         "num_layers": 2, "vocab_size": 50}, 10),
}
