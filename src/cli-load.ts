/**
 * @module
 * What every command shares: reading a model argument (zoo name, notation, spec file, stdin) and the
 * parsed options.
 */
import { readFile } from 'node:fs/promises';
import type { Convention, Report } from './analyze/index.js';
import type { Io } from './cli.js';
import { ModelError } from './errors.js';
import type { RenderFormat } from './render/index.js';
import type { Spec } from './spec/spec.js';

/** The parsed command line, shared by the subcommands. */
export interface CliContext {
  readonly io: Io;
  /** Every option as parsed (strings and booleans), for options only one command uses. */
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  readonly format: RenderFormat;
  readonly width: number;
  readonly color: boolean;
  readonly convention: Convention;
  readonly depth?: number;
  /** Reads and analyses one model argument with the command line's input, batch, seq, convention and notation options. */
  load(arg: string): Promise<Report>;
  /** A usage error (exit code 2). */
  usage(message: string): ModelError;
}

/** A subcommand: its positional arguments and the context → exit code. */
export type Command = (args: readonly string[], ctx: CliContext) => Promise<number>;

/** Resolves a model argument: '-' (stdin), a spec or notation file, a zoo name or notation text. */
export async function loadSource(arg: string, io: Io): Promise<string | Spec> {
  const text = arg === '-' ? await io.readStdin() : /\.(ya?ml|json|txt|nn)$/i.test(arg) ? await readText(arg) : undefined;
  if (text === undefined) return arg;
  const spec = /\.txt$|\.nn$/i.test(arg) || (arg === '-' && !/^\s*[{[]|^\s*layers\s*:/m.test(text));
  if (spec) return text;
  const { parseSpecText } = await import('./spec/from-object.js');
  return parseSpecText(text, arg === '-' ? undefined : arg);
}

export async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new ModelError('input', `cannot read '${path}': ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : String(code ?? e)}.`);
  }
}

