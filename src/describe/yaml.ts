/**
 * @module
 * YAML or JSON text → a plain value and a LocMap that finds where each part of it is written.
 * The `yaml` package is loaded on first use, so programs that never read a spec file do not pay for it.
 *
 * Hostile input: the composer and toJS recurse once per nesting level, and deep enough recursion can
 * take the whole process down (not always as a catchable RangeError), so the nesting depth is measured
 * on the parser's token tree, without recursion, before anything is composed. Aliases are capped with
 * the package's maxAliasCount, which stops "billion laughs" documents before they expand.
 */
import type { CST, Document, Node as YamlNode, Pair } from 'yaml';
import { ModelError } from '../errors.js';
import type { Loc } from '../types.js';
import type { LocMap, Path } from './from-object-read.js';

/** YAML nesting deeper than this is rejected before composing. 64 nested blocks need about 135 levels. */
export const MAX_YAML_DEPTH = 200;
/**
 * YAML specs are read up to this size (2 MiB). Composing a YAML document takes about 200 times its size in memory
 * and a few seconds per MiB, so larger specs are to be written as JSON, which is read with JSON.parse.
 */
export { MAX_YAML_BYTES } from '../limits.js';
/** The `yaml` package's maxAliasCount: roughly, how many times one anchor may be used. */
export const MAX_ALIASES = 100;

/** The offset of the first token nested deeper than MAX_YAML_DEPTH, or undefined. */
function tooDeep(tokens: readonly CST.Token[]): number | undefined {
  const stack: [CST.Token, number][] = tokens.map((t) => [t, 0]);
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [t, depth] = top;
    if (depth > MAX_YAML_DEPTH) return t.offset;
    if (t.type === 'document' && t.value) stack.push([t.value, depth + 1]);
    if ('items' in t) {
      for (const item of t.items) {
        if (item.key) stack.push([item.key, depth + 1]);
        if (item.value) stack.push([item.value, depth + 1]);
      }
    }
  }
  return undefined;
}

type Yaml = typeof import('yaml');

/**
 * The offset where the text certainly nests deeper than MAX_YAML_DEPTH, or -1: a line that opens more than that
 * many sequences with `- - - …`, or flow brackets open that deep. One pass, before the parser, whose lexer
 * takes seconds over such text; the token check after it finds what this misses.
 */
function obviouslyDeep(text: string): number {
  let flow = 0;
  let dashes = 0;
  let lineStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) {
      lineStart = true;
      dashes = 0;
    } else if (c === 0x23 && (i === 0 || text.charCodeAt(i - 1) === 0x20 || text.charCodeAt(i - 1) === 0x0a)) {
      // A comment, to the line's end.
      while (i + 1 < text.length && text.charCodeAt(i + 1) !== 0x0a) i++;
    } else if (c === 0x22 || c === 0x27) {
      // A quoted scalar ends at its quote or the line's end, whichever comes first.
      for (i++; i < text.length && text.charCodeAt(i) !== c && text.charCodeAt(i) !== 0x0a; i++) if (c === 0x22 && text.charCodeAt(i) === 0x5c) i++;
      if (text.charCodeAt(i) === 0x0a) i--;
      lineStart = false;
    } else if (c === 0x5b || c === 0x7b) {
      if (++flow > MAX_YAML_DEPTH) return i;
      lineStart = false;
    } else if (c === 0x5d || c === 0x7d) {
      flow = Math.max(0, flow - 1);
      lineStart = false;
    } else if (lineStart && c === 0x2d && (text.charCodeAt(i + 1) === 0x20 || text.charCodeAt(i + 1) === 0x0a)) {
      if (++dashes > MAX_YAML_DEPTH) return i;
    } else if (c !== 0x20) lineStart = false;
  }
  return -1;
}

/** The text's one document. A separate function so the token list can be freed once composed. */
function compose(yaml: Yaml, text: string, at: (offset: number, length: number) => Loc, fail: (message: string, loc: Loc) => never): Document.Parsed {
  const early = obviouslyDeep(text);
  if (early >= 0) fail(`the document nests more than ${MAX_YAML_DEPTH} levels deep; nncalc does not read specs nested that deeply.`, at(early, 1));
  const tokens = Array.from(new yaml.Parser().parse(text));
  const deep = tooDeep(tokens);
  if (deep !== undefined) fail(`the document nests more than ${MAX_YAML_DEPTH} levels deep; nncalc does not read specs nested that deeply.`, at(deep, 1));
  let doc: Document.Parsed | undefined;
  for (const d of new yaml.Composer().compose(tokens, true, text.length)) {
    if (doc) fail('the text holds more than one YAML document (a second ---); a spec is a single document.', at(d.range[0], 3));
    doc = d;
  }
  return doc ?? fail('the spec is empty.', at(0, 0));
}

/**
 * Parses one YAML (or JSON) document. Syntax errors, several documents, excessive nesting and
 * alias bombs become ModelError('spec') at their position.
 */
export async function readYaml(text: string): Promise<{ value: unknown; locs: LocMap }> {
  const yaml = await import('yaml');
  const at = (offset: number, length: number): Loc => ({ kind: 'text', offset, length, source: text });
  const fail = (message: string, loc: Loc, details: readonly string[] = []): never => {
    throw new ModelError('spec', message, { loc, details });
  };

  const doc = compose(yaml, text, at, fail);
  const first = doc.errors[0];
  if (first) {
    const [start, end] = first.pos;
    const more = doc.errors.length > 1 ? [`(${doc.errors.length - 1} more YAML error${doc.errors.length > 2 ? 's' : ''} after this one)`] : [];
    fail(`YAML syntax error: ${first.message.replace(/\.?$/, '.')}`, at(start, Math.max(1, end - start)), more);
  }

  // Aliases resolved once, in document order: an alias means the last anchor of that name before it.
  let targets: Map<YamlNode, YamlNode> | undefined;
  const resolve = (alias: YamlNode): YamlNode | undefined => {
    if (!targets) {
      const found = new Map<YamlNode, YamlNode>();
      const anchors = new Map<string, YamlNode>();
      yaml.visit(doc, {
        Node(_, node) {
          if (yaml.isAlias(node)) {
            const target = anchors.get(node.source);
            if (target) found.set(node, target);
          } else if (node.anchor) anchors.set(node.anchor, node);
        },
      });
      targets = found;
    }
    return targets.get(alias);
  };

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (e) {
    if (!(e instanceof ReferenceError || e instanceof RangeError)) throw e;
    let alias: YamlNode | undefined;
    yaml.visit(doc, {
      Alias(_, node) {
        alias = node;
        return yaml.visit.BREAK;
      },
    });
    // The package does not say which alias overflowed; the first one shows where aliases start.
    const loc = alias?.range ? at(alias.range[0], alias.range[1] - alias.range[0]) : at(0, 0);
    const bomb = /exhaustion|Maximum call stack/i.test(e.message);
    fail(bomb ? `the YAML aliases expand too far (${e.message}). Use each anchor at most about ${MAX_ALIASES} times.` : `cannot resolve the YAML aliases: ${e.message}.`, loc);
  }

  // Map keys indexed once per map, so looking up thousands of attributes stays linear.
  const index = new WeakMap<object, Map<string, Pair>>();
  const pairs = (map: { items: Pair[] }): Map<string, Pair> => {
    let m = index.get(map);
    if (!m) {
      m = new Map();
      for (const p of map.items) {
        const k = yaml.isScalar(p.key) ? (p.key.value === null ? '' : String(p.key.value)) : String(p.key);
        if (!m.has(k)) m.set(k, p);
      }
      index.set(map, m);
    }
    return m;
  };

  /** The node at a path and the pair holding it; stops at the deepest node that exists. */
  const find = (path: Path): { node: YamlNode | undefined; pair: Pair | undefined; complete: boolean } => {
    let node: YamlNode | undefined = doc.contents ?? undefined;
    let pair: Pair | undefined;
    for (const seg of path) {
      const inner: YamlNode | undefined = node && yaml.isAlias(node) ? resolve(node) : node;
      let next: unknown;
      if (yaml.isSeq(inner) && typeof seg === 'number') {
        next = inner.items[seg];
        pair = undefined;
      } else if (yaml.isMap(inner)) {
        pair = pairs(inner).get(String(seg));
        next = pair?.value;
      }
      if (!yaml.isNode(next)) return { node, pair: undefined, complete: false };
      node = next;
    }
    return { node, pair, complete: true };
  };
  const mappers = new WeakMap<object, Mapper>();
  const locOf = (node: YamlNode | undefined | null): Loc => {
    const r = node?.range;
    return r ? at(r[0], r[1] - r[0]) : at(0, 0);
  };

  const locs: LocMap = {
    value: (path) => locOf(find(path).node),
    key(path) {
      const { node, pair, complete } = find(path);
      return complete && yaml.isNode(pair?.key) ? locOf(pair.key) : locOf(node);
    },
    span(path, offset, length) {
      const { node, complete } = find(path);
      if (!complete || !yaml.isScalar(node) || typeof node.value !== 'string' || !node.range) return undefined;
      let map = mappers.get(node);
      if (!map) mappers.set(node, (map = mapper(node.value, text, node.range[0], node.range[1], node.type === 'BLOCK_LITERAL')));
      const o = map(offset, length);
      return o === undefined ? undefined : at(o, length);
    },
  };
  return { value, locs };
}

/** Where value[offset, offset + length) of a string scalar starts in the text, or undefined. */
type Mapper = (offset: number, length: number) => number | undefined;

/** The largest escaped or folded string whose pieces are searched for; larger ones are pointed at whole. */
const SEARCH_LIMIT = 10_000;

/**
 * How a string scalar's value maps onto its source, worked out once per scalar so that each layer of a
 * long notation fragment is placed quickly. Plain scalars and quoted ones without escapes hold the value
 * verbatim; a literal block (|) holds it line by line behind the indentation. Anything else (escapes,
 * folded lines) is matched as the same occurrence (the k-th) of the piece in the source.
 */
function mapper(value: string, text: string, start: number, end: number, literal: boolean): Mapper {
  for (const quote of [0, 1]) {
    if (text.startsWith(value, start + quote)) return (o) => start + quote + o;
  }
  if (literal) {
    const lines = blockLines(value, text, start, end);
    if (lines) {
      return (o) => {
        let lo = 0;
        for (let hi = lines.length - 1; lo < hi; ) {
          const mid = (lo + hi + 1) >> 1;
          if (lines[mid]!.value <= o) lo = mid;
          else hi = mid - 1;
        }
        const line = lines[lo]!;
        return line.text + o - line.value;
      };
    }
  }
  if (value.length > SEARCH_LIMIT) return () => undefined;
  const raw = text.slice(start, end);
  return (offset, length) => {
    const piece = value.slice(offset, offset + length);
    if (!piece) return undefined;
    let k = 0;
    for (let i = value.indexOf(piece); i !== -1 && i < offset; i = value.indexOf(piece, i + 1)) k++;
    let j = raw.indexOf(piece);
    for (let n = 0; j !== -1 && n < k; n++) j = raw.indexOf(piece, j + 1);
    return j === -1 ? undefined : start + j;
  };
}

/** The start of each line of a literal block scalar, in its value and in the text; undefined if they do not line up. */
function blockLines(value: string, text: string, start: number, end: number): { value: number; text: number }[] | undefined {
  const out: { value: number; text: number }[] = [];
  let pos = text.indexOf('\n', start) + 1; // the content starts on the line after the | header
  let v = 0;
  const lines = value.endsWith('\n') ? value.slice(0, -1).split('\n') : value.split('\n');
  for (const line of lines) {
    if (pos <= 0 || pos > end) return undefined;
    let eol = text.indexOf('\n', pos);
    if (eol === -1 || eol > end) eol = end;
    const lineEnd = text[eol - 1] === '\r' ? eol - 1 : eol;
    if (!text.slice(pos, lineEnd).endsWith(line)) return undefined;
    out.push({ value: v, text: lineEnd - line.length });
    v += line.length + 1;
    pos = eol + 1;
  }
  return out;
}
