/**
 * @module
 * The paper's notation inside a spec: bare strings such as conv3-64 and `notation:` fragments. Layers
 * keep locations in the document, and notation errors are moved to the word that caused them.
 */
import { ModelError } from '../errors.js';
import { opAliases, ops } from '../ops/index.js';
import { closest } from '../suggest.js';
import type { Loc } from '../types.js';
import { count, describe, fail, kindOf, type Ctx, type Path } from './from-object-read.js';
import { opSpec } from './values.js';
import { parseNotation } from './notation.js';
import type { OpSpec, Spec } from './spec.js';

const NOTATION_WORDS = ['conv3-64', 'maxpool', 'avgpool', 'gap', 'FC-4096', 'soft-max', 'LRN', 'bn', 'dropout'];

type Rebase = (offset: number, length: number) => Loc;

/** Notation text parsed with the flatten rule the spec so far calls for; errors are moved into the document. */
function parseIn(text: string, ctx: Ctx, rebase: Rebase, at: Loc): Spec {
  try {
    return parseNotation(text, { flatten: !ctx.flat && !ctx.flatInput });
  } catch (e) {
    if (!(e instanceof ModelError)) throw e;
    // An op kind among notation words: the notation does not know it, but the spec does, on its own or as a call.
    const word = /^unknown layer '([^']*)'/.exec(e.message)?.[1];
    const kind = word === undefined ? undefined : kindOf(word);
    const hint = kind
      ? [`'${word}' is an op, not a word of the paper's notation: write it as an item of its own (- ${word}: {…}) or as a call, such as ${ops[kind]!.title}(…) x 2.`]
      : e.details;
    return fail(e.loc?.kind === 'text' ? rebase(e.loc.offset, e.loc.length) : at, e.message, hint);
  }
}

/** The layers of parsed notation, with locations in the document; layers written at or after `end` are dropped. */
function adopt(spec: Spec, ctx: Ctx, rebase: Rebase, keepNames: boolean, at: Loc, end = Infinity): OpSpec[] {
  if (spec.input) fail(at, `notation inside a spec cannot set the input shape; write it as the spec's 'input:' instead.`);
  const out: OpSpec[] = [];
  for (const l of spec.layers as readonly OpSpec[]) {
    if (l.loc?.kind === 'text' && l.loc.offset >= end) continue;
    const loc = l.loc?.kind === 'text' ? rebase(l.loc.offset, l.loc.length) : at;
    count(ctx, l.op, loc);
    out.push({
      op: l.op,
      attrs: l.attrs,
      ...(keepNames && l.name !== undefined ? { name: l.name } : {}),
      ...(l.label !== undefined ? { label: l.label } : {}),
      ...(l.implicit ? { implicit: true } : {}),
      ...(l.rule !== undefined ? { rule: l.rule } : {}),
      loc,
    });
  }
  // The paper's rules are worth a note only where they can apply.
  if (out.some((l) => ['conv2d', 'linear', 'maxpool2d', 'avgpool2d'].includes(l.op))) {
    for (const n of spec.notes ?? []) if (!ctx.notes.includes(n)) ctx.notes.push(n);
  }
  return out;
}

/** A bare string of the notation: its text, where it is, and its layers when parsed alone. */
export interface Word {
  readonly text: string;
  readonly path: Path;
  readonly alone: Spec;
}

/** The notation's reading of a bare string on its own, or undefined when it is not notation. */
export function asNotation(text: string, ctx: Ctx): Spec | undefined {
  if (ctx.words.has(text)) return ctx.words.get(text);
  let spec: Spec | undefined;
  try {
    spec = parseNotation(text);
  } catch {
    spec = undefined;
  }
  const result = spec?.input === undefined ? spec : undefined;
  ctx.words.set(text, result);
  return result;
}

const hasOp = (spec: Spec, kinds: readonly string[]): boolean => spec.layers.some((l) => 'op' in l && kinds.includes(l.op));

/**
 * Consecutive bare notation words follow the paper's rules as if written on one line: no implicit ReLU
 * when the next word is an activation, none after the last FC. Only conv and FC words depend on their
 * neighbours, so each is parsed with the next word behind it (and a stand-in FC-1 when a later FC exists),
 * and the layers of those extra words are dropped. Parsing word by word keeps long lists linear.
 */
export function lowerRun(run: readonly Word[], ctx: Ctx): OpSpec[] {
  const laterFc: boolean[] = [];
  for (let i = run.length - 1, seen = false; i >= 0; i--) {
    laterFc[i] = seen;
    seen ||= hasOp(run[i]!.alone, ['linear']);
  }
  return run.flatMap((w, i) => {
    const at = ctx.locs.value(w.path);
    const rebase: Rebase = (o, length) => ctx.locs.span?.(w.path, o, length) ?? at;
    if (!hasOp(w.alone, ['conv2d', 'linear'])) return adopt(w.alone, ctx, rebase, false, at);
    const next = run[i + 1];
    const text = `${w.text}${next ? `\n${next.text}` : ''}${laterFc[i] ? '\nFC-1' : ''}`;
    return adopt(parseIn(text, ctx, rebase, at), ctx, rebase, false, at, w.text.length);
  });
}

/** A bare string that is not notation: an op kind with no attributes. */
export function bareOp(text: string, path: Path, ctx: Ctx): OpSpec {
  const loc = ctx.locs.value(path);
  const kind = kindOf(text.trim());
  if (kind) return opSpec(kind, {}, path, undefined, loc, ctx);
  if (/[\s,;]/.test(text.trim())) {
    // Several words: the notation parser's own error says which one is wrong.
    const rebase: Rebase = (o, length) => ctx.locs.span?.(path, o, length) ?? loc;
    adopt(parseIn(text, ctx, rebase, loc), ctx, rebase, false, loc);
  }
  if (/^\s*(input\b|\(?\s*\d+\s*[x×])/i.test(text)) {
    fail(loc, `'${text}' looks like an input shape; write it as the spec's 'input:', not as a layer.`);
  }
  const nums = text.match(/\d+/g) ?? [];
  const shaped = nums.length >= 2 ? [`conv${nums[0]}-${nums[1]}`] : nums.length === 1 ? [`FC-${nums[0]}`, `conv3-${nums[0]}`] : [];
  const best = closest(text, [...Object.keys(ops), ...Object.keys(opAliases), ...shaped, ...NOTATION_WORDS]);
  return fail(loc, `unknown layer '${text}'.${best ? ` Did you mean '${best}'?` : ''}`, [
    'A bare string is a word of the paper notation (conv3-64, maxpool, FC-4096, …) or an op kind without attributes (relu, flatten, …).',
  ]);
}

/** A `notation:` item: its layers keep the names the notation gives them. */
export function readFragment(item: Record<string, unknown>, path: Path, ctx: Ctx): OpSpec[] {
  const { locs } = ctx;
  for (const k of Object.keys(item)) if (k !== 'notation') fail(locs.key([...path, k]), `unknown key '${k}' beside 'notation'; a notation item has no other keys.`);
  const at = [...path, 'notation'];
  const loc = locs.value(at);
  if (typeof item.notation !== 'string') return fail(loc, `'notation' must be a string such as "conv3-64 x2, maxpool". Received: ${describe(item.notation)}.`);
  const rebase: Rebase = (o, length) => locs.span?.(at, o, length) ?? loc;
  return adopt(parseIn(item.notation, ctx, rebase, loc), ctx, rebase, true, loc);
}
