/**
 * @module
 * Claims written as lines of text: 'key: value', 'key = value', 'key: number = formula', a value alone; in
 * Markdown lists (bulleted or numbered), with **bold** keys and `code` spans; several on a line separated
 * by ';', or run together as a forum post pastes them ('conv3-64 x 2 : 38,720 conv3-128 x 2 : 221,440').
 * Every scan is a single pass over the line.
 */
import { keyParts, problem, side, splitOutside, trimmed, type Found, type Piece, type RawClaim } from './lines.js';

/** The most sides one claim may chain with '=' (a number, its formula, a few steps between). */
const MAX_SIDES = 16;
const ABOUT = new Set(['about', 'approx.', 'approx', 'approximately', 'around', 'roughly', 'ca.', 'circa', '~', '≈']);
/** Words that may follow a number inside a value, so they do not start the next key. */
const VALUE_WORDS = new Set(['x', 'k', 'm', 'g', 'b', 't', 'thousand', 'million', 'billion', 'trillion', 'mio', 'bn', 'params', 'parameters', 'weights', 'macs', 'flops', 'gmacs', 'gflops', 'about', 'approximately']);

/** The piece with `code` marks and bold/italic markers around words replaced by spaces (offsets kept). */
function unmark(p: Piece): Piece {
  let t = '';
  let lastSolid = '';
  const s = p.text;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    // '**' after a number or ')' is a power (3**2, 3 ** 2); anywhere else it is bold.
    if (c === '*' && s[i + 1] === '*' && !/[\d)\]]/.test(lastSolid)) {
      t += '  ';
      i++;
      continue;
    }
    t += c === '`' ? ' ' : c;
    if (c !== ' ' && c !== '`') lastSolid = c;
  }
  return { text: t, offset: p.offset };
}

/** Strips a list marker ('- ', '* ', '• ', '1. ', '2) ') and a quote marker ('> '). */
function unlist(p: Piece): Piece {
  let i = 0;
  const s = p.text;
  while (s[i] === '>' || s[i] === ' ') i++;
  if ((s[i] === '-' || s[i] === '*' || s[i] === '•' || s[i] === '+') && s[i + 1] === ' ') i += 2;
  else {
    let j = i;
    while (j < s.length && j - i < 3 && s[j]! >= '0' && s[j]! <= '9') j++;
    if (j > i && (s[j] === '.' || s[j] === ')') && s[j + 1] === ' ') i = j + 2;
  }
  return trimmed(s.slice(i), p.offset + i);
}

/** The value part after the key: bold closers, 'about' and a sentence's full stop removed. */
function valuePart(p: Piece): Piece {
  let v = trimmed(p.text, p.offset);
  const space = v.text.indexOf(' ');
  const first = (space < 0 ? v.text : v.text.slice(0, space)).toLowerCase();
  if (ABOUT.has(first)) v = trimmed(v.text.slice(first.length), v.offset + first.length);
  else if (v.text.startsWith('~') || v.text.startsWith('≈')) v = trimmed(v.text.slice(1), v.offset + 1);
  // A sentence's full stop is not part of the number: 'total: 138M.'
  if (v.text.endsWith('.')) v = trimmed(v.text.slice(0, -1), v.offset);
  return v;
}

/** A claim from a key and a value part. */
function claim(whole: Piece, key: Piece | undefined, value: Piece, found: Found): void {
  const v = valuePart(value);
  const parts = key ? keyParts(key) : undefined;
  if (key && !parts!.key.text && !parts!.quantity) {
    found.problems.push(problem(key.text ? key : whole, `expected a layer, stage or total before ':'. Received: nothing.`));
    return;
  }
  if (!v.text) {
    found.problems.push({
      ...problem(whole, `expected a number or a formula${key ? ` after '${key.text}:'` : ''}. Received: nothing.`, ['Examples: conv3-256: 590,080 · fc1: (512*7*7)*4096 + 4096 · total: 138M']),
      offset: v.offset,
      length: 1,
    });
    return;
  }
  const sides = splitOutside(v, (c) => c === '=' || c === '≈');
  if (sides.length > MAX_SIDES) {
    found.problems.push({ ...problem(whole, `a claim has at most ${MAX_SIDES} sides joined by '='. Received: ${sides.length}.`), offset: sides[MAX_SIDES]!.offset, length: 1 });
    return;
  }
  const empty = sides.find((s) => !s.text);
  if (empty) {
    found.problems.push({ ...problem(whole, `expected a number or a formula on both sides of '='.`), offset: empty.offset, length: 1 });
    return;
  }
  const raw: RawClaim = {
    text: whole.text,
    offset: whole.offset,
    ...(parts ? { key: parts.key } : {}),
    ...(parts?.quantity ? { quantity: parts.quantity } : {}),
    ...(parts?.scale !== undefined ? { scale: parts.scale } : {}),
    sides: sides.map(side),
  };
  found.claims.push(raw);
}

/**
 * Splits the text between two colons of a run-together line into the value before and the key after:
 * ' 38,720 conv3-128 x 2 ' → '38,720' and 'conv3-128 x 2'. The key starts at the first word after the value
 * that begins with a letter and is not a unit, a suffix or a multiplication sign.
 */
function splitValueKey(p: Piece): [Piece, Piece] | undefined {
  let depth = 0;
  let seenValue = false;
  for (let i = 0; i < p.text.length; i++) {
    const c = p.text[i]!;
    if (c === '(' || c === '[') depth++;
    else if ((c === ')' || c === ']') && depth > 0) depth--;
    const wordStart = depth === 0 && /[A-Za-z]/.test(c) && (i === 0 || /\s/.test(p.text[i - 1]!));
    if (/[\d)]/.test(c)) seenValue = true;
    if (!wordStart || !seenValue) continue;
    let j = i;
    while (j < p.text.length && !/\s/.test(p.text[j]!)) j++;
    if (VALUE_WORDS.has(p.text.slice(i, j).toLowerCase())) continue;
    return [trimmed(p.text.slice(0, i), p.offset), trimmed(p.text.slice(i), p.offset + i)];
  }
  return undefined;
}

/** The claims of one piece of a line (between ';'). */
function pieceClaims(raw: Piece, found: Found): void {
  const p = unlist(unmark(raw));
  if (!p.text) return;
  const shown: Piece = { text: p.text.replace(/\s+/g, ' ').replace(/ :/g, ':').trim(), offset: p.offset };
  const colons = splitOutside(p, (c) => c === ':');
  if (colons.length === 2) return claim(shown, colons[0], colons[1]!, found);
  if (colons.length > 2) {
    // 'conv3-64 x 2 : 38,720 conv3-128 x 2 : 221,440 …' as a forum post pastes it.
    let key = colons[0]!;
    for (let i = 1; i < colons.length; i++) {
      const last = i === colons.length - 1;
      const split = last ? undefined : splitValueKey(colons[i]!);
      if (!last && !split) {
        found.problems.push(problem(colons[i]!, `expected a value and then the next key after '${key.text}:'. Separate claims with ';' or new lines.`));
        return;
      }
      const value = last ? colons[i]! : split![0];
      const end = value.offset + value.text.length;
      claim({ text: p.text.slice(key.offset - p.offset, end - p.offset).replace(/\s+/g, ' '), offset: key.offset }, key, value, found);
      if (split) key = split[1];
    }
    return;
  }
  // 'fc1 = 102764544': a key before '=' when it starts with a letter.
  const eq = p.text.indexOf('=');
  const before = eq > 0 ? trimmed(p.text.slice(0, eq), p.offset) : undefined;
  const word = before?.text.split(' ')[0]?.toLowerCase() ?? '';
  if (before && /^[A-Za-z]/.test(before.text) && !ABOUT.has(word)) {
    return claim(shown, before, { text: p.text.slice(eq + 1), offset: p.offset + eq + 1 }, found);
  }
  claim(shown, undefined, p, found);
}

/** The offset where a line's comment starts ('#' at the start or after a space), or the line's end. */
export function commentStart(line: string): number {
  for (let i = line.indexOf('#'); i >= 0; i = line.indexOf('#', i + 1)) {
    if (i === 0 || /\s/.test(line[i - 1]!)) return i;
  }
  return line.length;
}

/** The claims of one plain line (comment removed, ';' separating claims outside brackets). */
export function plainLine(line: Piece, found: Found): void {
  const code = { text: line.text.slice(0, commentStart(line.text)), offset: line.offset };
  for (const p of splitOutside(code, (c) => c === ';')) if (p.text) pieceClaims(p, found);
}
