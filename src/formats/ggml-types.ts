/**
 * @module
 * The ggml tensor types (ggml.h `enum ggml_type`) with their block sizes: a block of `block` weights is stored in
 * `bytes` bytes, so a type's real bits per weight are 8·bytes/block (Q4_K: 144 bytes per 256 weights = 4.5 bits,
 * its scales included). Sizes are `sizeof(block_*)` of ggml-common.h. Ids whose types were removed from the format
 * (Q4_2, Q4_3, the 4_4/4_8/8_8 repackings) have no entry: a file that uses one is refused. Shared by the GGUF reader
 * and memory sizing.
 */

/** One ggml type. */
export interface GgmlType {
  readonly id: number;
  readonly name: string;
  /** Weights per block. */
  readonly block: number;
  /** Bytes per block. */
  readonly bytes: number;
}

const T = (id: number, name: string, block: number, bytes: number): GgmlType => ({ id, name, block, bytes });

/** Every type a GGUF file may use, by id. */
export const GGML_TYPES: readonly GgmlType[] = [
  T(0, 'F32', 1, 4),
  T(1, 'F16', 1, 2),
  T(2, 'Q4_0', 32, 18),
  T(3, 'Q4_1', 32, 20),
  T(6, 'Q5_0', 32, 22),
  T(7, 'Q5_1', 32, 24),
  T(8, 'Q8_0', 32, 34),
  T(9, 'Q8_1', 32, 36),
  T(10, 'Q2_K', 256, 84),
  T(11, 'Q3_K', 256, 110),
  T(12, 'Q4_K', 256, 144),
  T(13, 'Q5_K', 256, 176),
  T(14, 'Q6_K', 256, 210),
  T(15, 'Q8_K', 256, 292),
  T(16, 'IQ2_XXS', 256, 66),
  T(17, 'IQ2_XS', 256, 74),
  T(18, 'IQ3_XXS', 256, 98),
  T(19, 'IQ1_S', 256, 50),
  T(20, 'IQ4_NL', 32, 18),
  T(21, 'IQ3_S', 256, 110),
  T(22, 'IQ2_S', 256, 82),
  T(23, 'IQ4_XS', 256, 136),
  T(24, 'I8', 1, 1),
  T(25, 'I16', 1, 2),
  T(26, 'I32', 1, 4),
  T(27, 'I64', 1, 8),
  T(28, 'F64', 1, 8),
  T(29, 'IQ1_M', 256, 56),
  T(30, 'BF16', 1, 2),
  T(34, 'TQ1_0', 256, 54),
  T(35, 'TQ2_0', 256, 66),
  T(39, 'MXFP4', 32, 17),
  T(40, 'NVFP4', 64, 36),
  T(41, 'Q1_0', 128, 18),
  T(42, 'Q2_0', 64, 18),
];

/** Ids that existed once and were removed from the format, with what they were. */
export const REMOVED_GGML_TYPES: Readonly<Record<number, string>> = {
  4: 'Q4_2',
  5: 'Q4_3',
  31: 'Q4_0_4_4',
  32: 'Q4_0_4_8',
  33: 'Q4_0_8_8',
  36: 'IQ4_NL_4_4',
  37: 'IQ4_NL_4_8',
  38: 'IQ4_NL_8_8',
};

const byId = new Map(GGML_TYPES.map((t) => [t.id, t]));
const byName = new Map(GGML_TYPES.map((t) => [t.name, t]));

/** The type with this id, or undefined. */
export const ggmlType = (id: number): GgmlType | undefined => byId.get(id);
/** The type with this name ('Q4_K'), or undefined. */
export const ggmlTypeNamed = (name: string): GgmlType | undefined => byName.get(name);
/** Bits per weight of a type: 8·bytes/block. */
export const bitsPerWeight = (t: GgmlType): number => (8 * t.bytes) / t.block;
