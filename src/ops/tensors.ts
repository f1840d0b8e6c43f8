/**
 * @module
 * A module whose weights come from a model file that says nothing else about it (safetensors, GGUF or a state_dict
 * without an architecture nncalc knows): its parameters are its tensors' elements, and what it computes is unknown,
 * so its MACs, FLOPs and output shape are unknown — never zero. Each weight keeps the file's dtype and bytes.
 */
import type { Shape } from '../types.js';
import type { Attrs } from './attrs.js';
import { defineOp } from './op.js';

/** One tensor as the file declares it. */
export interface FileWeight {
  readonly name: string;
  readonly shape: Shape;
  readonly dtype?: string;
  readonly bytes?: number;
  /** A running statistic or another buffer (BatchNorm's running_mean), not a parameter in PyTorch. */
  readonly buffer?: boolean;
}

/** Normalised attributes: the module's tensors and, when known, its class or storage type. */
export interface Tensors {
  readonly weights: readonly FileWeight[];
  readonly type: string | undefined;
}

const isNat = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function readWeights(r: Attrs): FileWeight[] {
  const raw = r.value('weights');
  // Empty for a module without tensors (a ReLU of a pickled nn.Module): no parameters, and what it computes unknown.
  const expected = "a list of tensors, each { name, shape, dtype?, bytes?, buffer? } (as 'weights: [{ name: weight, shape: [64, 3] }]')";
  if (!Array.isArray(raw)) return r.fail('weights', `'weights' must be ${expected}. Received: ${JSON.stringify(raw) ?? 'nothing'}.`);
  const names = new Set<string>();
  return raw.map((w: unknown, i) => {
    const o = (typeof w === 'object' && w !== null && !Array.isArray(w) ? w : {}) as Record<string, unknown>;
    const bad = (what: string): never => r.fail('weights', `weights[${i}]: ${what}. Expected ${expected}.`);
    const name = o['name'];
    if (typeof name !== 'string' || name === '') bad(`'name' must be a non-empty string`);
    if (names.has(name as string)) bad(`the name '${String(name)}' appears twice`);
    names.add(name as string);
    const shape = o['shape'];
    if (!Array.isArray(shape) || !shape.every(isNat)) bad(`'shape' must be a list of integers ≥ 0`);
    const dtype = o['dtype'];
    if (dtype !== undefined && typeof dtype !== 'string') bad(`'dtype' must be a string such as 'F16'`);
    const bytes = o['bytes'];
    if (bytes !== undefined && !isNat(bytes)) bad(`'bytes' must be an integer ≥ 0`);
    const buffer = o['buffer'];
    if (buffer !== undefined && typeof buffer !== 'boolean') bad(`'buffer' must be true or false`);
    for (const k of Object.keys(o)) if (!['name', 'shape', 'dtype', 'bytes', 'buffer'].includes(k)) bad(`unknown key '${k}'`);
    return {
      name: name as string,
      shape: shape as number[],
      ...(dtype !== undefined ? { dtype: dtype as string } : {}),
      ...(bytes !== undefined ? { bytes: bytes as number } : {}),
      ...(buffer === true ? { buffer: true } : {}),
    };
  });
}

export const tensors = defineOp<Tensors>({
  kind: 'tensors',
  title: 'Tensors',
  doc:
    'A module known only by its weights, as a model file lists them (name, shape, dtype, bytes): its parameters are ' +
    "the tensors' elements; its MACs, FLOPs and output shape are unknown, since the file does not say what it computes.",
  opaque: true,
  attrs: (r) => ({ weights: readWeights(r), type: r.has('type') ? r.str('type') : undefined }),
  shape: (): Shape[] => [[]],
  weights: (a) => a.weights.map((w) => ({ ...w, dims: w.shape.map((_, i) => `d${i}`) })),
  type: (a) => a.type,
  label: (a) => [...new Set(a.weights.map((w) => w.dtype ?? '?'))].join('+'),
});
