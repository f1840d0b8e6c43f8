/**
 * @module
 * The memory flags of the command line, read into MemoryOptions: --dtype, --train, --precision, --checkpoint,
 * --context, --kv-dtype, --fused-attention, --gpus, --zero, --fsdp, --tp, --pp. Conflicting flags are errors that
 * say why.
 */
import { ModelError } from '../errors.js';
import { dtype, type MemoryOptions } from '../memory/index.js';
import { PRECISIONS, type Precision } from '../memory/training.js';
import type { Sharding } from '../memory/parallel.js';
import { parseSize } from '../options.js';

/** The flags, for parseArgs. */
export const MEMORY_FLAGS = {
  dtype: { type: 'string' },
  train: { type: 'string' },
  precision: { type: 'string' },
  checkpoint: { type: 'boolean' },
  context: { type: 'string' },
  'kv-dtype': { type: 'string' },
  'fused-attention': { type: 'boolean' },
  gpus: { type: 'string' },
  zero: { type: 'string' },
  fsdp: { type: 'boolean' },
  tp: { type: 'string' },
  pp: { type: 'string' },
} as const;

export const MEMORY_HELP = `Memory (docs/memory.md)
      --dtype TYPE              weights: fp32 (default), fp16, bf16, fp8, int8, int4, nf4, nf4-dq, llm.int8,
                                or a GGUF type (q4_0, q4_k, q8_0, …; q4_k_m and q5_k_m mixes)
      --train OPTIMIZER         training memory: sgd, momentum, adam, adamw, adam8bit or adafactor
      --precision P             training precision: mixed (16-bit with fp32 master weights; the default for
                                16-bit --dtype), fp32, bf16 or fp16
      --checkpoint              gradient checkpointing: keep each repeated block's input only
      --context N               tokens in the KV cache (default: --seq)
      --kv-dtype TYPE           the KV cache's storage type (default fp16)
      --fused-attention         a fused attention kernel: no score matrices
      --gpus N                  spread over N GPUs; with --zero 1|2|3 or --fsdp, --tp N, --pp N`;

type Values = Readonly<Record<string, string | boolean | readonly string[] | undefined>>;

/** MemoryOptions from the parsed flags; undefined when none was given. */
export function memoryOptions(v: Values): MemoryOptions | undefined {
  const str = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : undefined);
  const size = (k: string) => (str(k) === undefined ? undefined : parseSize(str(k)!, `--${k}`));
  const given = Object.keys(MEMORY_FLAGS).some((k) => v[k] !== undefined);
  if (!given) return undefined;
  const zero = str('zero');
  if (zero !== undefined && !['1', '2', '3'].includes(zero)) throw new ModelError('input', `--zero must be 1, 2 or 3 (the ZeRO stage). Received: '${zero}'.`);
  if (zero !== undefined && v['fsdp']) throw new ModelError('input', '--zero and --fsdp are two names for sharding the same states: give one (FSDP FULL_SHARD is ZeRO-3).');
  const precision = str('precision');
  if (precision !== undefined && !(PRECISIONS as readonly string[]).includes(precision)) throw new ModelError('input', `--precision must be one of ${PRECISIONS.join(', ')}. Received: '${precision}'.`);
  if (precision !== undefined && v['train'] === undefined) throw new ModelError('input', '--precision applies to training: give --train with it.');
  if (v['checkpoint'] && v['train'] === undefined) throw new ModelError('input', '--checkpoint applies to training: give --train with it.');
  const gpus = size('gpus');
  const tp = size('tp');
  const pp = size('pp');
  if ((zero !== undefined || v['fsdp']) && (gpus ?? 1) < 2) throw new ModelError('input', `${zero !== undefined ? `--zero ${zero}` : '--fsdp'} shards across GPUs: give --gpus 2 or more.`);
  if ((zero !== undefined || v['fsdp']) && v['train'] === undefined) throw new ModelError('input', `${zero !== undefined ? '--zero' : '--fsdp'} shards training state: give --train with it.`);
  const sharding: Sharding | undefined = zero !== undefined ? (`zero${zero}` as Sharding) : v['fsdp'] ? 'fsdp' : undefined;
  if (str('dtype') !== undefined) dtype(str('dtype')!);
  if (str('kv-dtype') !== undefined) dtype(str('kv-dtype')!, '--kv-dtype');
  const context = size('context');
  return {
    ...(str('dtype') !== undefined ? { dtype: str('dtype')! } : {}),
    ...(str('train') !== undefined ? { train: str('train')! } : {}),
    ...(precision !== undefined ? { precision: precision as Precision } : {}),
    ...(v['checkpoint'] ? { checkpoint: true } : {}),
    ...(context !== undefined ? { context } : {}),
    ...(str('kv-dtype') !== undefined ? { kvDtype: str('kv-dtype')! } : {}),
    ...(v['fused-attention'] ? { fusedAttention: true } : {}),
    ...(gpus !== undefined ? { gpus } : {}),
    ...(sharding !== undefined ? { sharding } : {}),
    ...(tp !== undefined ? { tp } : {}),
    ...(pp !== undefined ? { pp } : {}),
  };
}
