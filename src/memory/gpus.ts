/**
 * @module
 * Common GPUs with the memory a program can see, and memory sizes as people type them.
 *
 * The table gives the total that `nvidia-smi` reports (in MiB), which is what fits, not the marketed size: an
 * "80GB" H100 shows 81,559 MiB (79.65 GiB), an A100 80GB exactly 80 GiB. Apple parts are listed at the memory
 * Metal lets the GPU use by default (`recommendedMaxWorkingSetSize`, about three quarters of the RAM). Figures from
 * public nvidia-smi outputs and Apple's and llama.cpp's logs; docs/memory.md lists them with their sources.
 */
import { ModelError } from '../errors.js';
import { grouped } from '../int.js';
import { didYouMean } from '../suggest.js';

/** One GPU: its name as typed, what it is, and the bytes a program can allocate on it. */
export interface Gpu {
  readonly name: string;
  readonly title: string;
  readonly bytes: number;
  /** How the figure was obtained. */
  readonly basis: string;
}

const MiB = 1024 * 1024;
const smi = (name: string, title: string, mib: number): Gpu => ({ name, title, bytes: mib * MiB, basis: `nvidia-smi total ${grouped(mib)} MiB` });

/** The GPUs `--gpu` knows, smallest first. */
export const GPUS: readonly Gpu[] = [
  smi('t4', 'NVIDIA T4 16GB (ECC on)', 15_360),
  smi('v100-16gb', 'NVIDIA V100 16GB', 16_160),
  smi('rtx4080', 'NVIDIA GeForce RTX 4080 16GB', 16_376),
  smi('rtx4090', 'NVIDIA GeForce RTX 4090 24GB', 24_564),
  smi('rtx3090', 'NVIDIA GeForce RTX 3090 24GB', 24_576),
  smi('v100', 'NVIDIA V100 32GB', 32_768),
  smi('a100-40gb', 'NVIDIA A100 40GB', 40_960),
  smi('l40s', 'NVIDIA L40S 48GB (ECC on)', 46_068),
  smi('a100', 'NVIDIA A100 80GB', 81_920),
  smi('h100', 'NVIDIA H100 80GB (SXM or PCIe)', 81_559),
  smi('h200', 'NVIDIA H200 141GB', 143_771),
];

/** A name as typed: 'RTX 4090', 'rtx-4090', 'A100 80GB' all find their GPU. */
const loose = (s: string): string => s.toLowerCase().replace(/[\s_-]/g, '').replace(/80gb$/, '');

/** The GPU with this name, or a ModelError with a did-you-mean and the table's names. */
export function gpu(name: string): Gpu {
  const n = loose(name);
  const found = GPUS.find((g) => loose(g.name) === n);
  if (!found) {
    throw new ModelError('input', `unknown GPU '${name}'.${didYouMean(name.toLowerCase(), GPUS.map((g) => g.name))}`, {
      details: [`Known: ${GPUS.map((g) => g.name).join(', ')}. Or give the memory itself: --memory 24GiB.`],
    });
  }
  return found;
}

const UNITS: Readonly<Record<string, number>> = {
  b: 1,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
  kb: 1000,
  mb: 1000 ** 2,
  gb: 1000 ** 3,
  tb: 1000 ** 4,
};

/**
 * A memory size with its unit: '24GiB', '24 GiB', '80GB', '1.5 TiB'. GiB and friends are powers of 1024, GB and
 * friends powers of 1000, as printed on the box; a bare number or an unknown unit is an error that lists the units.
 */
export function parseMemory(text: string, what = '--memory'): number {
  const m = /^\s*(\d{1,9}(?:\.\d{1,6})?)\s*([a-z]{1,3})\s*$/i.exec(text);
  const units = 'B, KiB, MiB, GiB, TiB (powers of 1024) or kB, MB, GB, TB (powers of 1000)';
  if (!m) throw new ModelError('input', `${what} '${text}' is not a memory size. Write a number with a unit, such as 24GiB or 80GB; units: ${units}.`);
  const unit = UNITS[m[2]!.toLowerCase()];
  if (unit === undefined) throw new ModelError('input', `${what} '${text}': unknown unit '${m[2]}'. Units: ${units}.`);
  const bytes = Math.round(Number(m[1]) * unit);
  if (bytes < 1) throw new ModelError('input', `${what} '${text}' is no memory at all.`);
  return bytes;
}
