/**
 * @module
 * A check's answer as readable text (fitted to the terminal), Markdown, or JSON (documented in docs/check.md).
 */
import { fmt } from '../count.js';
import { wrapWords } from '../render/layout.js';
import { mdCell } from '../render/markdown.js';
import type { CheckResult, ClaimResult, TargetResult, Verdict } from './index.js';

/** The JSON format's version; bumped when a field changes meaning or disappears. */
export const CHECK_SCHEMA = 1;

export interface CheckRenderOptions {
  readonly width?: number;
  readonly color?: boolean;
  readonly ascii?: boolean;
}

const WORDS: Readonly<Record<Verdict, string>> = { exact: 'right', rounded: 'right, as rounded', wrong: 'wrong' };

function mark(v: Verdict, o: CheckRenderOptions): string {
  const [m, code] = v === 'exact' ? [o.ascii ? '+' : '✓', '32'] : v === 'rounded' ? [o.ascii ? '~' : '≈', '32'] : [o.ascii ? 'x' : '✗', '31'];
  return o.color ? `\x1b[${code}m${m}\x1b[0m` : m;
}

/** A target needs its own heading when the claim has several, or when the heading adds something (the layer a stage key names, its channels). */
const heading = (c: ClaimResult, t: TargetResult): boolean => c.targets.length > 1 || (t.kind !== 'total' && (t.channels !== undefined || t.name !== c.key));

/** 'line 3', or 'line 3, column 14' when the line holds several claims. */
function where(r: CheckResult, c: ClaimResult): string {
  const shared = r.claims.filter((x) => x.claim.line === c.claim.line).length > 1;
  return shared ? `line ${c.claim.line}, column ${c.claim.column}` : `line ${c.claim.line}`;
}

/** '(3*3)*(256*256) = 589,824.' unless an arithmetic note already says it. */
const formulaLine = (c: ClaimResult): string | undefined =>
  c.claim.formula && !c.notes.some((n) => n.startsWith('Arithmetic')) ? `${c.claim.formula.text} = ${fmt(c.claim.value.value)}.` : undefined;

function targetHead(t: TargetResult): string {
  return `${t.name}${t.channels ? ` (${t.channels})` : ''}`;
}

function summary(r: CheckResult): string {
  const n = r.claims.length;
  return `${n} claim${n === 1 ? '' : 's'}: ${r.right} right, ${r.wrong} wrong.`;
}

/** The readable list: each claim, its verdict, the mistakes found and the true formula. */
export function checkText(r: CheckResult, o: CheckRenderOptions = {}): string {
  const width = Math.max(40, o.width ?? Infinity);
  const out: string[] = [];
  const para = (text: string, indent: number) => wrapWords(text, width - indent).forEach((l) => out.push(' '.repeat(indent) + l));
  out.push(`${r.model.name}: ${fmt(r.model.params)} parameters (${r.model.convention === 'keras' ? 'Keras' : 'PyTorch'} convention)`);
  for (const c of r.claims) {
    out.push('');
    para(`${mark(c.verdict, o)} ${c.claim.text}  (${where(r, c)}) — ${WORDS[c.verdict]}`, 0);
    const f = formulaLine(c);
    if (f) para(f, 4);
    for (const n of c.notes) para(n, 4);
    for (const t of c.targets) {
      if (heading(c, t)) para(`${targetHead(t)}${c.targets.length > 1 ? `: ${WORDS[t.verdict]}` : ':'}`, 2);
      for (const d of t.diagnoses) para(d.message, 4);
      para(`true: ${t.truth}`, 4);
    }
  }
  if (r.context.length) {
    out.push('', 'Where the parameters are:');
    for (const line of r.context) para(line, 2);
  }
  out.push('', summary(r));
  return out.join('\n') + '\n';
}

/** The same as Markdown: a list per claim, formulas in code spans. */
export function checkMarkdown(r: CheckResult): string {
  const out = [`## Checking claims against ${mdCell(r.model.name)}`, ''];
  for (const c of r.claims) {
    out.push(`- ${mark(c.verdict, {})} \`${c.claim.text.replace(/`/g, "'")}\` (${where(r, c)}): **${WORDS[c.verdict]}**`);
    const f = formulaLine(c);
    for (const n of [...(f ? [f] : []), ...c.notes]) out.push(`  - ${n}`);
    for (const t of c.targets) {
      const head = heading(c, t) ? `**${targetHead(t)}**: ${WORDS[t.verdict]}. ` : '';
      out.push(`  - ${head}${t.diagnoses.map((d) => d.message).join(' ')}${t.diagnoses.length ? ' ' : ''}True: \`${t.truth}\`.`);
    }
  }
  if (r.context.length) out.push('', `**Where the parameters are.** ${r.context.join(' ')}`);
  out.push('', summary(r));
  return out.join('\n') + '\n';
}

/** The structure documented in docs/check.md. */
export function checkJson(r: CheckResult): string {
  const doc = {
    schema: CHECK_SCHEMA,
    model: r.model,
    claims: r.claims.map((c) => ({
      text: c.claim.text,
      line: c.claim.line,
      column: c.claim.column,
      key: c.claim.key?.text ?? null,
      matchedBy: c.by,
      matched: c.key,
      value: c.claim.value.value,
      low: c.claim.value.lo,
      high: c.claim.value.hi,
      exact: c.claim.value.lo === c.claim.value.hi,
      formula: c.claim.formula?.text ?? null,
      verdict: c.verdict,
      right: c.verdict !== 'wrong',
      notes: c.notes,
      targets: c.targets.map((t) => ({
        kind: t.kind,
        name: t.name,
        layers: t.kind === 'total' ? [] : t.layers,
        quantity: t.quantity,
        value: t.value,
        ...(t.channels ? { channels: t.channels } : {}),
        truth: t.truth,
        verdict: t.verdict,
        diagnoses: t.diagnoses,
      })),
    })),
    context: r.context,
    summary: { claims: r.claims.length, right: r.right, wrong: r.wrong },
  };
  return JSON.stringify(doc, null, 2) + '\n';
}
