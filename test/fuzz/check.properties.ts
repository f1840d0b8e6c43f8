/**
 * Properties of check's readers, for fast-check: the claim parser and the summary parser let only a
 * ModelError escape and finish within a bound on any text, and a claim that states a true value (in any of
 * the forms people write it) is judged right. `runCheckFuzz({ runs, seed })` runs them all; the tests run a
 * seeded slice (check.fuzz.test.ts). The readers are also targets of the byte-level campaign
 * (`npm run fuzz -- --target claims|check-vgg16|summary`, scripts/fuzz/check-targets.ts), which uses the
 * texts defined here.
 */
import fc from 'fast-check';
import type { Report } from '../../src/analyze/report.js';
import { checkClaims } from '../../src/check/index.js';
import { readClaims } from '../../src/check/claims.js';
import { explainSummary } from '../../src/check/summary/index.js';
import { grouped } from '../../src/int.js';
import { ModelError } from '../../src/errors.js';
import { summarize } from '../../src/summarize.js';

/** The longest a single input may take: a hang guard, far above the milliseconds the bench measures. */
export const BOUND_MS = 2000;

/** Characters that stress the readers: separators, brackets, operators, box drawing, controls, digits, words. */
const ALPHABET = [...'0123456789 ,._\'’:;=≈~#|-*/^()[]{}xX×·eEMKGBTk\t\n\r"`>•%…', '│', '┃', '├', '└', '─', '━', '┏', 'Param #', 'Total params:', 'conv3-', 'fc', 'features.', 'None', '\u0000', '\u001b', '\u00a0', '\u2009', 'about ', 'weights', 'macs'];
const hostile = fc.array(fc.constantFrom(...ALPHABET), { maxLength: 400 }).map((a) => a.join(''));
/** Text for check's readers: their own alphabet, any characters, any code points. */
export const text = fc.oneof(hostile, fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 200 }));
/** Summary-like text: a Keras 2, Keras 3 or torchinfo header above random rows. */
export const summaryText = fc.oneof(
  text,
  text.map((t) => `Layer (type)  Output Shape  Param #\n${t}\nTotal params: 1`),
  text.map((t) => `┃ Layer (type) ┃ Output Shape ┃ Param # ┃\n${t}\n Total params: 1`),
  text.map((t) => `Layer (type:depth-idx)   Output Shape   Param #\n├─${t}\nTotal params: 1`),
);

/** Runs `f`, failing on anything but a ModelError and on taking longer than the bound. */
function onlyModelErrors(f: () => unknown): void {
  const start = performance.now();
  try {
    f();
  } catch (e) {
    if (!(e instanceof ModelError)) throw e;
  }
  const ms = performance.now() - start;
  if (ms > BOUND_MS) throw new Error(`took ${ms.toFixed(0)} ms`);
}

const reports = new Map<string, Report>();
const report = (name: string): Report => {
  let r = reports.get(name);
  if (!r) reports.set(name, (r = summarize(name)));
  return r;
};

/** The ways a true value may be written. */
const FORMS: readonly ((key: string, v: bigint) => string)[] = [
  (k, v) => `${k}: ${v}`,
  (k, v) => `${k}: ${grouped(v)}`,
  (k, v) => `- ${k}: ${grouped(v).replace(/,/g, ' ')}`,
  (k, v) => `1. ${k}: ${grouped(v).replace(/,/g, "'")}`,
  (k, v) => `${k} = ${v}`,
  (k, v) => `**${k}:** ${grouped(v)}`,
  (k, v) => `| layer | params |\n|---|---:|\n| ${k} | ${grouped(v)} |`,
  (k, v) => `name,params\n${k},${v}`,
  (k, v) => `${k}\t${v}`,
  (k, v) => `${k}: about ${v}`,
];

/** The properties, as fast-check properties. */
export const properties = {
  claimsReaderOnlyModelErrors: fc.property(text, (t) => onlyModelErrors(() => readClaims(t))),
  checkOnlyModelErrors: fc.property(text, (t) => onlyModelErrors(() => checkClaims(report('vgg16'), t))),
  summaryOnlyModelErrors: fc.property(summaryText, (t) => onlyModelErrors(() => explainSummary(t))),
  trueClaimIsRight: fc.property(fc.constantFrom('vgg16', 'resnet18', 'gpt2', 'alexnet'), fc.nat(), fc.nat(FORMS.length - 1), (model, pick, form) => {
    const r = report(model);
    const layers = r.layers.filter((l) => l.params !== null);
    const l = layers[pick % layers.length]!;
    const claim = FORMS[form]!(l.name, BigInt(l.params!));
    const result = checkClaims(r, claim);
    const c = result.claims[0];
    if (result.unread.length || !c || (c.verdict !== 'exact' && c.verdict !== 'rounded')) {
      throw new Error(`${model}: '${claim}' was judged ${c?.verdict ?? result.unread[0]?.message}`);
    }
  }),
};

/** Runs every property: the entry point for a fuzz runner (`runs` per property, a fixed seed to replay). */
export function runCheckFuzz(options: { runs: number; seed?: number }): void {
  for (const [name, p] of Object.entries(properties)) {
    const out = fc.check(p as fc.IProperty<unknown>, { numRuns: options.runs, ...(options.seed !== undefined ? { seed: options.seed } : {}) });
    if (out.failed) throw new Error(`${name}: ${fc.defaultReportMessage(out)}`);
  }
}
