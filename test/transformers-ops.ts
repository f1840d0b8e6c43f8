/**
 * The single-layer cases scripts/oracle/transformers_oracle.py writes to test/oracle/transformers-ops.json: the ops
 * the Hugging Face families brought (mla, selective_scan, disentangled_attention, similarity) as PyTorch 1.13 runs
 * them, in the form of ops2.json.
 */
import { readFileSync } from 'node:fs';
import type { OpCase } from './ops-oracle.js';

const cases = (JSON.parse(readFileSync(new URL('./oracle/transformers-ops.json', import.meta.url), 'utf8')) as { cases: OpCase[] }).cases;

/** The cases of one op kind. */
export const transformersOpCases = (kind: string): OpCase[] => cases.filter((c) => c.op === kind);
