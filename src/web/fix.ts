/**
 * @module
 * The did-you-mean of an error as a one-click edit. nncalc's messages name the word they could not read and
 * the nearest known one ("unknown layer 'maxpol'. Did you mean 'maxpool'?"); the error's location says where
 * the word is written. The edit replaces that word there, or, when the location points elsewhere in the same
 * entry (an attribute's value rather than its misspelt key), the nearest whole occurrence of the word before it.
 * Everything here is linear in the text: indexOf scans, no regular expression over user text.
 */
import type { Fix } from './protocol.js';

const ASK = 'id you mean \'';

/** The misspelt word and the suggestion a message names, or undefined when it names none. */
export function suggestion(message: string): { word: string; suggestion: string } | undefined {
  const ask = message.lastIndexOf(ASK);
  if (ask < 1 || (message[ask - 1] !== 'D' && message[ask - 1] !== 'd')) return undefined;
  const from = ask + ASK.length;
  const to = message.indexOf('\'', from);
  if (to <= from) return undefined;
  // The word is the last quoted text before the question.
  const close = message.lastIndexOf('\'', ask - 1);
  const open = close > 0 ? message.lastIndexOf('\'', close - 1) : -1;
  if (open < 0 || close - open < 2) return undefined;
  const word = message.slice(open + 1, close);
  const fixed = message.slice(from, to);
  return word === fixed ? undefined : { word, suggestion: fixed };
}

const wordChar = (c: string | undefined): boolean => c !== undefined && /[\w.-]/.test(c);

/** Whether `word` stands alone at `at` in `text` (not part of a longer name). */
const whole = (text: string, at: number, word: string): boolean => !wordChar(text[at - 1]) && !wordChar(text[at + word.length]);

/**
 * The edit that applies a message's suggestion to `text`, given where the error points (`offset`, `length`), or
 * undefined when the word cannot be found as written. Without a location, the text must be the word itself
 * (a misspelt model name).
 */
export function fixFor(message: string, text: string, loc?: { offset: number; length: number }): Fix | undefined {
  const s = suggestion(message);
  if (!s) return undefined;
  const { word } = s;
  if (!loc) {
    const start = text.indexOf(word);
    return start >= 0 && text.trim() === word ? { offset: start, length: word.length, replacement: s.suggestion } : undefined;
  }
  // The located text, or the word inside it (JSON quotes it).
  const inside = text.slice(loc.offset, loc.offset + Math.max(loc.length, word.length)).indexOf(word);
  if (inside >= 0 && loc.length <= word.length + 2) return { offset: loc.offset + inside, length: word.length, replacement: s.suggestion };
  // Otherwise the nearest whole occurrence before the location, on its line or the lines of its entry just above.
  const lineStart = text.lastIndexOf('\n', loc.offset - 1) + 1;
  const from = Math.max(0, text.lastIndexOf('\n', Math.max(0, lineStart - 2)) + 1);
  for (let at = text.lastIndexOf(word, loc.offset); at >= from; at = at > 0 ? text.lastIndexOf(word, at - 1) : -1) {
    if (whole(text, at, word)) return { offset: at, length: word.length, replacement: s.suggestion };
  }
  return undefined;
}

/** The text with the edit applied. */
export const applyFix = (text: string, fix: Fix): string => text.slice(0, fix.offset) + fix.replacement + text.slice(fix.offset + fix.length);
