/**
 * @module
 * `nncalc diff <a> <b>` and `nncalc diff <model> --vs-input|--vs-batch|--vs-seq|--vs-convention …`: two models,
 * or one model under the command line's settings (a) and the --vs-… ones (b), compared layer by layer.
 */
import type { Command, LoadOverrides } from './load.js';
import { diffReports } from '../diff/index.js';
import { renderDiff } from '../diff/render.js';
import { ModelError } from '../errors.js';
import { checkConvention, parseShape, parseSize } from '../options.js';
import { dtype } from '../memory/index.js';
import { memoryOptions } from './memory-options.js';

export const diffCommand: Command = async (args, ctx) => {
  const v = ctx.values;
  // A bad option value is a usage error (exit code 2).
  const option = <T,>(read: () => T): T => {
    try {
      return read();
    } catch (e) {
      throw e instanceof ModelError ? ctx.usage(e.message) : e;
    }
  };
  const int = (flag: string): number | undefined => (typeof v[flag] === 'string' ? option(() => parseSize(v[flag] as string, `--${flag}`)) : undefined);
  const convention = v['vs-convention'] === undefined ? undefined : option(() => checkConvention(v['vs-convention'], '--vs-convention'));
  const input = typeof v['vs-input'] === 'string' ? option(() => parseShape(v['vs-input'] as string, '--vs-input')) : undefined;
  const [batch, seq] = [int('vs-batch'), int('vs-seq')];
  const vsDtype = typeof v['vs-dtype'] === 'string' ? option(() => dtype(v['vs-dtype'] as string, '--vs-dtype').name) : undefined;
  const overrides: LoadOverrides = {
    ...(vsDtype ? { memory: { ...(option(() => memoryOptions(v)) ?? {}), dtype: vsDtype } } : {}),
    ...(input ? { input } : {}),
    ...(batch ? { batch } : {}),
    ...(seq ? { seq } : {}),
    ...(convention ? { convention } : {}),
  };
  const settings = Object.keys(overrides).length > 0;
  if (args.length === 0 || args.length > 2 || (args.length === 1 && !settings)) {
    throw ctx.usage(
      `diff compares two models, or one model under two settings; received ${args.length} model${args.length === 1 ? '' : 's'}` +
        `${args.length ? ` (${args.map((a) => `'${a}'`).join(', ')})` : ''}${args.length === 1 ? ' and no --vs-… setting' : ''}. ` +
        'Try: nncalc diff alexnet-paper alexnet-ungrouped, or nncalc diff vgg16 --vs-input 384x384x3.',
    );
  }
  const a = await ctx.load(args[0]!);
  const b = await ctx.loadWith(args[1] ?? args[0]!, overrides);
  ctx.io.stdout(renderDiff(diffReports(a, b), ctx.format, { all: !!v['all'], width: ctx.width, ascii: !!v['ascii'] }));
  return 0;
};
