/**
 * @module
 * A check's answer as readable text (fitted to the terminal), Markdown, or JSON (documented in docs/check.md).
 * Claims and unread lines appear in the order of the claims text; user text is shown with control
 * characters escaped.
 */
import { fmt } from '../count.js';
import { jsonReplacer, type Int } from '../int.js';
import { wrapWords } from '../render/layout.js';
import { mdCell } from '../render/markdown.js';
import type { Unread } from './claims.js';
import type { CheckResult, ClaimResult, TargetResult, Verdict } from './index.js';
import * as Q from './rational.js';
import { valueText } from './sides.js';
import { escapeControls } from './text.js';

/** The JSON format's version; bumped when a field changes meaning or disappears. */
export const CHECK_SCHEMA = 2;

export interface CheckRenderOptions {
  readonly width?: number;
  readonly color?: boolean;
  readonly ascii?: boolean;
}

const WORDS: Readonly<Record<Verdict, string>> = { exact: 'right', rounded: 'right, as rounded', wrong: 'wrong', unknown: 'cannot be checked' };

function mark(v: Verdict, o: CheckRenderOptions): string {
  const [m, code] =
    v === 'exact' ? [o.ascii ? '+' : '✓', '32'] : v === 'rounded' ? [o.ascii ? '~' : '≈', '32'] : v === 'unknown' ? ['?', '33'] : [o.ascii ? 'x' : '✗', '31'];
  return o.color ? `\x1b[${code}m${m}\x1b[0m` : m;
}

/** A target needs its own heading when the claim has several, or when the heading adds something (the layer a stage key names, its channels). */
const heading = (c: ClaimResult, t: TargetResult): boolean => c.targets.length > 1 || (t.kind !== 'total' && (t.channels !== undefined || t.name !== c.key));

/** 'line 3', or 'line 3, column 14' when the line holds several claims. */
function where(c: ClaimResult, shared: ReadonlySet<number>): string {
  return shared.has(c.claim.line) ? `line ${c.claim.line}, column ${c.claim.column}` : `line ${c.claim.line}`;
}

/** Lines holding more than one claim. */
function sharedLines(r: CheckResult): Set<number> {
  const seen = new Set<number>();
  const shared = new Set<number>();
  for (const c of r.claims) (seen.has(c.claim.line) ? shared : seen).add(c.claim.line);
  return shared;
}

/** '(3*3)*(256*256) = 589,824.' unless an arithmetic note already says it. */
const formulaLine = (c: ClaimResult): string | undefined =>
  c.claim.formula && !c.notes.some((n) => n.startsWith('Arithmetic')) ? `${c.claim.formula.text} = ${valueText(c.claim.formula.value.value)}.` : undefined;

function targetHead(t: TargetResult): string {
  return `${t.name}${t.channels ? ` (${t.channels})` : ''}`;
}

function summary(r: CheckResult): string {
  const n = r.claims.length;
  const unknown = r.unknown ? `, ${r.unknown} cannot be checked` : '';
  const unread = r.unread.length ? `; ${r.unread.length} line${r.unread.length === 1 ? '' : 's'} not read (${r.unread.map((u) => u.line).slice(0, 10).join(', ')}${r.unread.length > 10 ? ', …' : ''})` : '';
  const skipped = r.skipped.length ? `; ${r.skipped.length} not checked (${[...new Set(r.skipped.map((s) => s.reason))].join('; ')})` : '';
  return `${n} claim${n === 1 ? '' : 's'}: ${r.right} right, ${r.wrong} wrong${unknown}${unread}${skipped}.`;
}

/** Claims and unread lines in the order of the claims text. */
function inOrder(r: CheckResult): ({ claim: ClaimResult } | { unread: Unread })[] {
  const items: ({ claim: ClaimResult; at: number } | { unread: Unread; at: number })[] = [...r.claims.map((claim) => ({ claim, at: claim.claim.offset })), ...r.unread.map((unread) => ({ unread, at: unread.offset }))];
  return items.sort((a, b) => a.at - b.at);
}

/** The verdict line of a claim, with the headline of a claim about several things. */
const verdictText = (c: ClaimResult): string => `${WORDS[c.verdict]}${c.headline ? `: ${c.headline}` : ''}`;

/** The readable list: each claim, its verdict, the mistakes found and the true formula. */
export function checkText(r: CheckResult, o: CheckRenderOptions = {}): string {
  const width = Math.max(40, o.width ?? Infinity);
  const out: string[] = [];
  const para = (text: string, indent: number, lead = '') => {
    const lines = wrapWords(`${lead ? 'M ' : ''}${escapeControls(text)}`, width - indent);
    lines.forEach((l, i) => out.push(' '.repeat(indent) + (i === 0 && lead ? lead + l.slice(1) : l)));
  };
  const shared = sharedLines(r);
  out.push(`${r.model.name}: ${fmt(r.model.params)} parameters (${r.model.convention === 'keras' ? 'Keras' : 'PyTorch'} convention)`);
  for (const item of inOrder(r)) {
    out.push('');
    if ('unread' in item) {
      const u = item.unread;
      para(`line ${u.line}, column ${u.column} — not read: ${u.message}`, 0, mark('unknown', o));
      for (const d of u.details) para(d, 4);
      continue;
    }
    const c = item.claim;
    para(`${c.claim.text}  (${where(c, shared)}) — ${verdictText(c)}`, 0, mark(c.verdict, o));
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
  out.push('', escapeControls(summary(r)));
  return out.join('\n') + '\n';
}

/** A code span that holds any text. */
const code = (s: string): string => `\`${escapeControls(s).replace(/`/g, "'")}\``;

/** The same as Markdown: a list per claim, formulas in code spans. */
export function checkMarkdown(r: CheckResult): string {
  const out = [`## Checking claims against ${mdCell(r.model.name)}`, ''];
  const shared = sharedLines(r);
  const md = (s: string) => escapeControls(s);
  for (const item of inOrder(r)) {
    if ('unread' in item) {
      out.push(`- ? line ${item.unread.line}, column ${item.unread.column}: **not read**. ${md(item.unread.message)}`);
      continue;
    }
    const c = item.claim;
    out.push(`- ${mark(c.verdict, {})} ${code(c.claim.text)} (${where(c, shared)}): **${WORDS[c.verdict]}**${c.headline ? `: ${md(c.headline)}` : ''}`);
    const f = formulaLine(c);
    for (const n of [...(f ? [f] : []), ...c.notes]) out.push(`  - ${md(n)}`);
    for (const t of c.targets) {
      const head = heading(c, t) ? `**${md(targetHead(t))}**: ${WORDS[t.verdict]}. ` : '';
      out.push(`  - ${head}${md(t.diagnoses.map((d) => d.message).join(' '))}${t.diagnoses.length ? ' ' : ''}True: ${code(t.truth)}.`);
    }
  }
  if (r.context.length) out.push('', `**Where the parameters are.** ${r.context.join(' ')}`);
  out.push('', md(summary(r)));
  return out.join('\n') + '\n';
}

/** An exact value for JSON: an Int (a number when safe, a decimal string past 2^53), or 'n/d' for a fraction. */
const ratJson = (r: Q.Rat): Int | string => (Q.isInteger(r) ? Q.toInt(r)! : Q.exactText(r));

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
      quantity: c.claim.quantity ?? c.claim.unit ?? 'params',
      matchedBy: c.by,
      matched: c.key,
      value: ratJson(c.claim.value.value),
      low: ratJson(c.claim.value.lo),
      high: ratJson(c.claim.value.hi),
      exact: Q.cmp(c.claim.value.lo, c.claim.value.hi) === 0,
      formula: c.claim.formula?.text ?? null,
      sides: c.claim.sides.map((s) => ({ text: s.text, value: ratJson(s.value.value), low: ratJson(s.value.lo), high: ratJson(s.value.hi) })),
      verdict: c.verdict,
      right: c.verdict === 'exact' || c.verdict === 'rounded',
      headline: c.headline ?? null,
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
    unread: r.unread.map((u) => ({ line: u.line, column: u.column, offset: u.offset, length: u.length, message: u.message, ...(u.details.length ? { details: u.details } : {}) })),
    skipped: r.skipped,
    context: r.context,
    summary: { claims: r.claims.length, right: r.right, wrong: r.wrong, unknown: r.unknown, unread: r.unread.length, skipped: r.skipped.length },
  };
  return JSON.stringify(doc, jsonReplacer, 2) + '\n';
}
