/**
 * @module
 * `nncalc fit <model> --memory 24GiB | --gpu rtx4090 [--train adamw] [--dtype bf16] [--seq N] [--batch N]`:
 * the largest batch that fits (or, for a decoder given --batch, the largest context), the term that binds with its
 * formula, and, when even one sample does not fit, the fewest GPUs and the strategy that hold it.
 */
import type { MemoryReport, Report } from '../analyze/report.js';
import { fmt } from '../count.js';
import { ModelError } from '../errors.js';
import { toNumber, type Int } from '../int.js';
import { largestBatch, largestContext, need, strategies, terms, type Evaluate } from '../memory/fit.js';
import { gpu, memory, parseMemory, type MemoryOptions } from '../memory/index.js';
import { bytes } from '../render/format.js';
import { memoryOptions } from './memory-options.js';
import type { Command } from './load.js';

const show = (b: Int): string => `${bytes(b)} (${fmt(b)} bytes)`;

function breakdown(m: MemoryReport): string[] {
  return terms(m).map(([name, b]) => `    ${name.padEnd(18)} ${bytes(b).padStart(12)}`);
}

export const fitCommand: Command = async (args, ctx) => {
  const v = ctx.values;
  if (args.length !== 1) throw ctx.usage(`fit takes one model; received ${args.length}. Try: nncalc fit llama-2-7b --gpu rtx4090 --dtype bf16`);
  const memoryArg = typeof v['memory'] === 'string' ? v['memory'] : undefined;
  const gpuArg = typeof v['gpu'] === 'string' ? v['gpu'] : undefined;
  if ((memoryArg === undefined) === (gpuArg === undefined)) throw ctx.usage('fit needs the memory to fit in: --memory 24GiB, or --gpu rtx4090 (not both).');
  const budget = memoryArg !== undefined ? parseMemory(memoryArg) : gpu(gpuArg!).bytes;
  const where = memoryArg !== undefined ? memoryArg : `${gpu(gpuArg!).title} (${gpu(gpuArg!).basis})`;
  const base: MemoryOptions = memoryOptions(v) ?? {};
  const fixedBatch = typeof v['batch'] === 'string';
  const probe = await ctx.load(args[0]!);
  const decoder = probe.memory?.kv !== undefined;
  const h = probe.layers.find((l) => l.op === 'attention')?.attrs['num_heads'];
  const heads = typeof h === 'number' ? h : undefined;
  // The batch, context and layout are searched here; everything else is the command line's.
  // A layout changes only the memory arithmetic: each batch is analysed once.
  const reports = new Map<number, Promise<Report>>();
  const evaluate: Evaluate = async (at) => {
    const options: MemoryOptions = { ...base, ...(at.context !== undefined ? { context: at.context } : {}), ...(at.gpus ? { gpus: at.gpus } : {}), ...(at.sharding ? { sharding: at.sharding } : {}), ...(at.tp ? { tp: at.tp } : {}) };
    let r = reports.get(at.batch);
    if (!r) reports.set(at.batch, (r = ctx.loadWith(args[0]!, { batch: at.batch, memory: {} })));
    return memory(await r, options);
  };
  const lines: string[] = [`${probe.model.name} in ${where}: ${show(budget)}`];
  const training = base.train !== undefined;
  const mode = training ? `training with ${base.train}${base.precision ? ` (${base.precision})` : ''}` : 'inference';
  if (decoder && fixedBatch) {
    const batch = probe.model.input[0]!;
    const limit = 1 << 24;
    const { context, at } = await largestContext(evaluate, budget, batch, limit);
    if (context === 0) return notFit(ctx, lines, evaluate, budget, training, mode, heads);
    lines.push(`Fits for ${mode} at batch ${batch} up to a context of ${fmt(context)} tokens${context === limit ? ' (the most nncalc tries)' : ''}: ${show(need(at))}.`);
    lines.push(`  The term that grows with the context: ${at.kv ? `the KV cache, ${fmt(at.kv.perToken)} bytes a token per sequence` : 'the activations'}.`, ...breakdown(at));
  } else {
    const { batch, at } = await largestBatch(evaluate, budget, base.context);
    if (batch === 0) return notFit(ctx, lines, evaluate, budget, training, mode, heads);
    const one = await evaluate({ batch: 1, ...(base.context ? { context: base.context } : {}) });
    const two = await evaluate({ batch: 2, ...(base.context ? { context: base.context } : {}) });
    const perSample = toNumber(need(two)) - toNumber(need(one));
    const fixed = toNumber(need(one)) - perSample;
    const seq = probe.model.input.length === 2 ? ` at ${fmt(base.context ?? at.kv?.context ?? probe.model.input[1]!)} tokens` : '';
    lines.push(`Fits for ${mode}${seq} up to a batch of ${fmt(batch)}: ${show(need(at))}.`);
    lines.push(`  Memory = ${bytes(fixed)} that the batch does not change + ${bytes(perSample)} per sample: ${bytes(fixed)} + ${fmt(batch)}·${bytes(perSample)} ≤ ${bytes(budget)}.`);
    // What binds is what grows with the batch: the term that adds the most per sample.
    const grow = terms(two).map(([name, b]) => [name, toNumber(b) - toNumber(terms(one).find(([n]) => n === name)![1])] as const).sort((x, y) => y[1] - x[1]);
    lines.push(`  Binding term: ${grow[0]![0]}, ${bytes(grow[0]![1])} per sample${grow[1] && grow[1][1] > 0 ? ` (then ${grow[1][0]}, ${bytes(grow[1][1])})` : ''}.`, ...breakdown(at));
  }
  lines.push('', 'Assumptions:', ...(probe.memory?.assumptions ?? []).map((a) => `  - ${a}`));
  ctx.io.stdout(`${lines.join('\n')}\n`);
  return 0;
};

/** Not even one sample fits: the term that is over, and the fewest GPUs that would hold it. */
async function notFit(ctx: Parameters<Command>[1], lines: string[], evaluate: Evaluate, budget: number, training: boolean, mode: string, heads: number | undefined): Promise<number> {
  const one = await evaluate({ batch: 1 });
  const [largest] = terms(one);
  const over = toNumber(largest![1]) > budget;
  lines.push(
    `Does not fit for ${mode}, even at batch 1: it needs ${show(need(one))}, ${bytes(toNumber(need(one)) - budget)} more than there is.` +
      ` ${over ? `The ${largest![0]} alone ${largest![0].endsWith('s') ? 'take' : 'takes'} ${bytes(largest![1])}.` : `The largest term, the ${largest![0]}, is ${bytes(largest![1])}: no one term is over, the sum is.`}`,
    ...breakdown(one),
  );
  for (let gpus = 2; gpus <= 1024; gpus *= 2) {
    for (const s of strategies(training, heads)) {
      const tp = s.tp?.(gpus) ?? 1;
      if (tp === 0) continue;
      let m: MemoryReport;
      try {
        m = await evaluate({ batch: 1, gpus, ...(s.sharding ? { sharding: s.sharding } : {}), ...(tp > 1 ? { tp } : {}) });
      } catch (e) {
        if (e instanceof ModelError) continue;
        throw e;
      }
      if (toNumber(need(m)) <= budget) {
        lines.push(`It fits on ${gpus} such GPUs with ${s.label}${tp > 1 ? ` (t = ${tp})` : ''}: ${show(need(m))} per GPU.`, ...breakdown(m));
        ctx.io.stdout(`${lines.join('\n')}\n`);
        return 1;
      }
    }
  }
  lines.push('No layout up to 1,024 GPUs holds it.');
  ctx.io.stdout(`${lines.join('\n')}\n`);
  return 1;
}
