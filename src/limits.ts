/**
 * @module
 * Every bound nncalc puts on its input, in one place (docs/reliability.md lists them with their reasons).
 * Each limit turns an input that would exhaust time or memory into a located ModelError.
 */

/** The most layers a model may have once built, implicit layers (the notation's ReLUs) included. */
export const MAX_LAYERS = 100_000;

/** The largest size a user may give: an input dimension, a batch, a sequence length, a layer width (2^31 − 1). */
export const MAX_SIZE = 2 ** 31 - 1;

/** The largest text nncalc reads: a notation, spec, config or claims file, or standard input (64 MiB). */
export const MAX_TEXT_BYTES = 64 * 1024 * 1024;

/** How deep an arithmetic expression may nest (parentheses, powers, unary minus). */
export const MAX_EXPR_DEPTH = 256;

/** The most layers a config read from a model file (config.json, GGUF metadata) may build; published models have under 200. */
export const MAX_FILE_CONFIG_LAYERS = 4096;

/** The largest YAML spec, checked before the document is composed (about 200 times its size in memory); 2 MiB. */
export const MAX_YAML_BYTES = 2 * 1024 * 1024;

/** How many steps expanding a spec may take: items read, repeat copies walked, expression values computed. */
export const MAX_SPEC_WORK = 5_000_000;

/** How deep a spec's modules may call each other. */
export const MAX_MODULE_DEPTH = 32;

/** The longest expression in a spec, in characters, and how deep it may nest. */
export const MAX_SPEC_EXPR_CHARS = 20_000;
export const MAX_SPEC_EXPR_DEPTH = 64;
