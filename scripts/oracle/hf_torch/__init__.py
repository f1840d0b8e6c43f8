"""The transformers oracle's families, written in plain torch under the module names `transformers` gives them."""
