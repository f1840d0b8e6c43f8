import type { Loc } from './types.js';

/** What kind of bad input an error reports. */
export type ErrorCode =
  | 'notation' // a bad token in the paper notation
  | 'spec' // a bad attribute or structure in a JSON/YAML spec
  | 'shape' // shapes that cannot work (a pooling that reduces 1×1 to 0, too many groups)
  | 'input' // a bad command-line value or an unknown model name
  | 'unsupported' // something nncalc does not handle
  | 'file'; // a model file that is truncated, corrupt or hostile (the message names the format and byte offset)

/**
 * The only error nncalc throws on bad input. It says what was expected, what was found and where.
 * @example new ModelError('shape', 'kernel 3 is larger than the padded input 2', { layer: 'features.0' })
 */
export class ModelError extends Error {
  override name = 'ModelError';
  readonly code: ErrorCode;
  readonly loc: Loc | undefined;
  /** The layer the error is about, when there is one. */
  readonly layer: string | undefined;
  /** Extra lines shown under the message: the arithmetic, a hint. */
  readonly details: readonly string[];

  constructor(code: ErrorCode, message: string, where: { loc?: Loc | undefined; layer?: string | undefined; details?: readonly string[] } = {}) {
    // Bad input is reported by its message and location, never by a stack trace; recording one is most of what an
    // error costs, and check makes one for every line whose key names nothing (a pasted file may have thousands).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.code = code;
    this.loc = where.loc;
    this.layer = where.layer;
    this.details = where.details ?? [];
  }
}

/** The widest part of a source line a code frame shows. */
const FRAME = 100;

/** Line and column (both 1-based) of an offset in a text. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/**
 * Human text for an error: the message, then a code frame with a caret for text locations,
 * or the path for spec locations, then the details.
 */
export function formatError(error: ModelError, source?: string): string {
  const head = `error[${error.code}]: ${error.message}`;
  const lines = [head];
  const loc = error.loc;
  const text = loc?.kind === 'text' ? (loc.source ?? source) : undefined;
  if (loc?.kind === 'text' && text !== undefined) {
    const { line, column } = lineColumn(text, loc.offset);
    const start = loc.offset - (column - 1);
    const end = text.indexOf('\n', start);
    const full = text.slice(start, end < 0 ? text.length : end);
    // A long line is shown as a window around the column, so a 1 MB line prints as one screen line.
    const from = full.length <= FRAME ? 0 : Math.max(0, Math.min(column - 1 - FRAME / 2, full.length - FRAME));
    const shown = full.slice(from, from + FRAME);
    const lineText = `${from > 0 ? '…' : ''}${shown}${from + FRAME < full.length ? '…' : ''}`;
    const at = column - 1 - from + (from > 0 ? 1 : 0);
    const gutter = String(line).length;
    const caretLength = Math.max(1, Math.min(loc.length, shown.length - (column - 1 - from)));
    lines.push(`${' '.repeat(gutter)} --> line ${line}, column ${column}`);
    lines.push(`${line} | ${lineText}`);
    lines.push(`${' '.repeat(gutter)} | ${' '.repeat(at)}${'^'.repeat(caretLength)}`);
  } else if (loc?.kind === 'path') {
    lines.push(`  → at ${formatPath(loc.path)}`);
  }
  if (error.layer !== undefined && !error.message.includes(`'${error.layer}'`)) lines.push(`  → in layer '${error.layer}'`);
  for (const d of error.details) lines.push(`  ${d}`);
  return lines.join('\n');
}

/** 'layers[4].conv2d.groups' from ['layers', 4, 'conv2d', 'groups']. */
export function formatPath(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** The error as JSON, for `--format json`. */
export function errorJson(error: ModelError, source?: string): Record<string, unknown> {
  const loc = error.loc;
  const text = loc?.kind === 'text' ? (loc.source ?? source) : undefined;
  const where =
    loc?.kind === 'text' && text !== undefined
      ? { ...lineColumn(text, loc.offset), offset: loc.offset, length: loc.length }
      : loc?.kind === 'path'
        ? { path: formatPath(loc.path) }
        : undefined;
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.layer !== undefined ? { layer: error.layer } : {}),
      ...(where ? { location: where } : {}),
      ...(error.details.length ? { details: error.details } : {}),
    },
  };
}
