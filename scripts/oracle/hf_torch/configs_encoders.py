"""The configs of the BERT-style encoders: the zoo's published configs ("real") and small configs that exercise each
option ("tiny"). Missing keys take the family defaults. Each zoo model names the class whose count is published."""

from . import encoders, shared_and_relative

ROBERTA = {"hidden_act": "gelu", "hidden_size": 768, "intermediate_size": 3072, "max_position_embeddings": 514, "num_attention_heads": 12,
           "num_hidden_layers": 12, "type_vocab_size": 1}

REAL = {
    "roberta-base": {"architectures": ["RobertaModel"], "model_type": "roberta", **ROBERTA, "vocab_size": 50265},
    "xlm-roberta-base": {"architectures": ["XLMRobertaModel"], "model_type": "xlm-roberta", **ROBERTA, "vocab_size": 250002},
    "distilbert-base-uncased": {"architectures": ["DistilBertModel"], "model_type": "distilbert", "activation": "gelu", "dim": 768, "hidden_dim": 3072,
                                "max_position_embeddings": 512, "n_heads": 12, "n_layers": 6, "sinusoidal_pos_embds": False, "vocab_size": 30522},
    "albert-base-v2": {"architectures": ["AlbertModel"], "model_type": "albert", "embedding_size": 128, "hidden_act": "gelu_new", "hidden_size": 768,
                       "inner_group_num": 1, "intermediate_size": 3072, "max_position_embeddings": 512, "num_attention_heads": 12, "num_hidden_groups": 1,
                       "num_hidden_layers": 12, "type_vocab_size": 2, "vocab_size": 30000},
    "electra-small-discriminator": {"architectures": ["ElectraModel"], "model_type": "electra", "embedding_size": 128, "hidden_act": "gelu", "hidden_size": 256,
                                    "intermediate_size": 1024, "max_position_embeddings": 512, "num_attention_heads": 4, "num_hidden_layers": 12,
                                    "type_vocab_size": 2, "vocab_size": 30522},
    "deberta-v3-base": {"model_type": "deberta-v2", "hidden_act": "gelu", "hidden_size": 768, "intermediate_size": 3072, "max_position_embeddings": 512,
                        "max_relative_positions": -1, "norm_rel_ebd": "layer_norm", "num_attention_heads": 12, "num_hidden_layers": 12,
                        "pos_att_type": "p2c|c2p", "position_biased_input": False, "position_buckets": 256, "relative_attention": True,
                        "share_att_key": True, "type_vocab_size": 0, "vocab_size": 128100},
}

IDS = [("ids", [9], 97)]
SMALL = {"hidden_size": 32, "intermediate_size": 48, "num_attention_heads": 4, "num_hidden_layers": 2, "max_position_embeddings": 20, "vocab_size": 97}
TINY = {
    "tiny-roberta": ({"architectures": ["RobertaModel"], "model_type": "roberta", **SMALL, "type_vocab_size": 1}, IDS),
    "tiny-roberta-mlm": ({"architectures": ["RobertaForMaskedLM"], "model_type": "roberta", **SMALL}, IDS),
    "tiny-xlm-roberta-mlm": ({"architectures": ["XLMRobertaForMaskedLM"], "model_type": "xlm-roberta", **SMALL, "tie_word_embeddings": False}, IDS),
    "tiny-electra-disc": ({"architectures": ["ElectraForPreTraining"], "model_type": "electra", **SMALL, "embedding_size": 16}, IDS),
    "tiny-electra-gen": ({"architectures": ["ElectraForMaskedLM"], "model_type": "electra", **SMALL, "embedding_size": 16}, IDS),
    "tiny-electra-model": ({"architectures": ["ElectraModel"], "model_type": "electra", **SMALL, "embedding_size": 32}, IDS),
    "tiny-distilbert": ({"architectures": ["DistilBertModel"], "model_type": "distilbert", "dim": 32, "hidden_dim": 48, "n_heads": 4, "n_layers": 2,
                         "max_position_embeddings": 20, "vocab_size": 97}, IDS),
    "tiny-distilbert-mlm": ({"architectures": ["DistilBertForMaskedLM"], "model_type": "distilbert", "dim": 32, "hidden_dim": 48, "n_heads": 4, "n_layers": 2,
                             "max_position_embeddings": 20, "sinusoidal_pos_embds": True, "vocab_size": 97}, IDS),
    "tiny-albert": ({"architectures": ["AlbertModel"], "model_type": "albert", **SMALL, "embedding_size": 16, "num_hidden_layers": 4, "num_hidden_groups": 2,
                     "inner_group_num": 2}, IDS),
    "tiny-albert-mlm": ({"architectures": ["AlbertForMaskedLM"], "model_type": "albert", **SMALL, "embedding_size": 16, "num_hidden_layers": 3}, IDS),
    "tiny-deberta-v3": ({"model_type": "deberta-v2", **SMALL, "relative_attention": True, "position_buckets": 4, "norm_rel_ebd": "layer_norm",
                         "share_att_key": True, "pos_att_type": "p2c|c2p", "position_biased_input": False}, IDS),
    "tiny-deberta-v2-conv": ({"model_type": "deberta-v2", **SMALL, "relative_attention": True, "max_relative_positions": 6, "pos_att_type": ["c2p", "p2c"],
                              "conv_kernel_size": 3, "conv_groups": 2, "conv_act": "gelu", "embedding_size": 16, "type_vocab_size": 2}, IDS),
    "tiny-deberta-c2p": ({"model_type": "deberta-v2", **SMALL, "relative_attention": True, "pos_att_type": ["c2p"], "max_relative_positions": 5}, IDS),
    "tiny-deberta-plain": ({"model_type": "deberta-v2", **SMALL}, IDS),
}

BUILDERS = {**encoders.BUILDERS, **shared_and_relative.BUILDERS}
op_cases = shared_and_relative.op_cases
