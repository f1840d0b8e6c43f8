/**
 * @module
 * `nncalc check <model> <claims>`: says which of a user's numbers are right and where the others went wrong.
 * Exit code 0 when every claim is right, 1 when any is wrong or a line could not be read (the others are
 * still checked), 2 when the check cannot run (usage, an unreadable model, no readable claim), like diff
 * and grep.
 */
import { readFile } from 'node:fs/promises';
import { checkClaims } from '../check/index.js';
import { checkJson, checkMarkdown, checkText } from '../check/render.js';
import type { CliContext, Command } from './load.js';
import { errorJson, formatError, ModelError } from '../errors.js';
import { quoted } from '../check/text.js';

const USAGE = `Usage: nncalc check <model> <claims>, where <claims> is a .txt/.md/.csv/.tsv file, @file, - for stdin, or the text itself, e.g.
  nncalc check vgg16 "conv3-256: 0.59M = (3*3)*(256*256)"
The claims format is in docs/check.md.`;

/** Extensions of claims files: anything else is read as the claims text itself. */
const CLAIMS_FILE = /\.(txt|md|markdown|csv|tsv)$/i;

/**
 * The claims: '-' for stdin, '@path' for any file, a path with a claims extension (.txt, .md, .csv, .tsv),
 * or else the argument itself as text. A path such as /etc/passwd is never opened unless asked with '@'.
 */
async function claimsText(arg: string, ctx: CliContext): Promise<string> {
  if (arg === '-') return ctx.io.readStdin();
  const path = arg.startsWith('@') ? arg.slice(1) : !arg.includes('\n') && CLAIMS_FILE.test(arg) ? arg : undefined;
  if (path === undefined) return arg;
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new ModelError('input', `cannot read the claims file '${quoted(path, 200)}': ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : String(code ?? e)}.`);
  }
}

/** The text a model error points into, when it can be read again. */
async function modelSource(arg: string): Promise<string | undefined> {
  if (arg === '-') return undefined;
  try {
    return await readFile(arg, 'utf8');
  } catch {
    return arg;
  }
}

export const check: Command = async (args, ctx) => {
  let source: string | undefined;
  try {
    if (args.length !== 2) throw ctx.usage(`check takes a model and claims; received ${args.length} argument${args.length === 1 ? '' : 's'}.\n${USAGE}`);
    const [model, claims] = args as [string, string];
    if (model === '-' && claims === '-') throw ctx.usage('the model and the claims cannot both come from stdin. Give the claims as text or a file.');
    if (ctx.format !== 'table' && ctx.format !== 'md' && ctx.format !== 'json') throw ctx.usage(`check writes table, md or json. Received: --format ${ctx.format}.`);
    let report;
    try {
      report = await ctx.load(model);
    } catch (e) {
      if (e instanceof ModelError && e.loc?.kind === 'text' && e.loc.source === undefined) source = await modelSource(model);
      throw e;
    }
    const text = await claimsText(claims, ctx);
    const result = checkClaims(report, text);
    const ascii = ctx.values.ascii === true;
    ctx.io.stdout(ctx.format === 'json' ? checkJson(result) : ctx.format === 'md' ? checkMarkdown(result) : checkText(result, { width: ctx.width, color: ctx.color, ascii }));
    return result.wrong > 0 || result.unknown > 0 || result.unread.length > 0 ? 1 : 0;
  } catch (e) {
    if (!(e instanceof ModelError)) throw e;
    ctx.io.stderr(ctx.format === 'json' ? `${JSON.stringify(errorJson(e, source))}\n` : `${formatError(e, source)}\n`);
    return 2;
  }
};
