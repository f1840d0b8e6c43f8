/**
 * @module
 * What the dimensions of the main input mean: `layout: LNC` (sequence, batch, features: PyTorch's recurrent
 * default), `NLC`, `NCHW`, …, or `seq_first: true`. The layout tells `--batch` and `--seq` which dimension to set,
 * and build checks it against the layers that read the input: a sequence-first input read by a batch-first layer
 * (or the reverse) is an error, never a count with batch and sequence swapped. nncalc's convolutions read channels
 * first, so a channels-last image layout (NHWC) is an error too: write an image as H×W×C text instead.
 */
import { ModelError } from '../errors.js';
import { findOp } from '../ops/index.js';
import type { Graph, Loc, Shape } from '../types.js';

/** The layouts nncalc can honour, by rank; L is the sequence, C the channels or features. */
const LAYOUTS: Readonly<Record<number, readonly string[]>> = { 2: ['NC', 'NL', 'LN'], 3: ['NLC', 'LNC', 'NCL'], 4: ['NCHW'], 5: ['NCDHW'] };

/** Letters people write for the same thing: T or S for a sequence, E, D or F for features. */
const normal = (layout: string): string => (/^[NLSTCEF]+$/.test(layout) && layout.length <= 3 ? layout.replace(/[ST]/g, 'L').replace(/[EDF]/g, 'C') : layout);

/** A layout as written → where the batch and the sequence are. Errors say which layouts the input's rank allows. */
export function readLayout(written: string, input: Shape | undefined, loc: Loc): { layout: string; batchAxis: number; seqAxis: number | undefined } {
  const fail = (message: string): never => {
    throw new ModelError('spec', message, { loc });
  };
  if (!input) return fail(`'layout' describes the input's dimensions, so the spec needs an 'input' (or 'inputs') to go with it.`);
  const layout = normal(written.trim().toUpperCase());
  const allowed = LAYOUTS[input.length] ?? [];
  if (!allowed.includes(layout)) {
    const channelsLast = /^N[DHW]+C$/.test(layout) || layout === 'NWC';
    const why = channelsLast
      ? "nncalc's convolutions and poolings read channels first. Give an image as H×W×C text (input: 224x224x3), which nncalc reads as Keras's channels-last image, stored as NCHW."
      : layout.length !== input.length
        ? `The input [${input.join(', ')}] has ${input.length} dimensions, the layout ${layout.length}.`
        : '';
    return fail(`layout '${written}' is not one nncalc can honour for the ${input.length}-D input [${input.join(', ')}]. ${allowed.length ? `Expected one of ${allowed.join(', ')}.` : ''} ${why}`.replace(/\s+$/, '').replace(/ {2,}/g, ' '));
  }
  const seq = layout.indexOf('L');
  return { layout, batchAxis: layout.indexOf('N'), seqAxis: seq >= 0 ? seq : undefined };
}

/** `seq_first: true` → the layout of a sequence-first input of this rank. */
export function seqFirstLayout(seqFirst: boolean, input: Shape | undefined, loc: Loc): string {
  const rank = input?.length;
  if (rank !== 2 && rank !== 3) {
    throw new ModelError('spec', `'seq_first' applies to a sequence input, [L, N] of ids or [L, N, features]${input ? `; the input [${input.join(', ')}] is not one` : ', so the spec needs an input'}. Write 'layout' for other inputs.`, { loc });
  }
  return seqFirst ? (rank === 2 ? 'LN' : 'LNC') : rank === 2 ? 'NL' : 'NLC';
}

const RECURRENT = new Set(['rnn', 'lstm', 'gru']);
const BATCH_FIRST_DEFAULT = new Set(['attention', 'transformer_encoder_layer', 'transformer_decoder_layer']);
/** Ops whose output has the layout of their input. */
const KEEPS = new Set(['linear', 'dropout', 'identity', 'layernorm', 'rmsnorm', 'add', 'mul', 'relu', 'relu6', 'leaky_relu', 'elu', 'gelu', 'silu', 'sigmoid', 'tanh', 'hardswish', 'hardsigmoid', 'softplus', 'mish', 'exp', 'softmax', 'log_softmax', 'prelu', 'parameter']);

/**
 * Follows the declared layout from the main input through layers that keep it (linear, norms, activations, an
 * embedding that adds C), and fails at a recurrent, attention or transformer layer whose batch_first says
 * otherwise.
 */
export function checkLayout(graph: Graph, input: string, layout: string): void {
  const layouts = new Map<string, string>([[input, layout]]);
  for (const node of graph.nodes) {
    const from = node.inputs[0];
    const l = from === undefined || from.includes(':') ? undefined : layouts.get(from);
    if (l === undefined) continue;
    const kind = findOp(node.op)?.kind ?? node.op;
    if (KEEPS.has(kind)) layouts.set(node.id, l);
    else if (kind === 'embedding' && (l === 'NL' || l === 'LN')) layouts.set(node.id, `${l}C`);
    else if ((RECURRENT.has(kind) || BATCH_FIRST_DEFAULT.has(kind)) && (l === 'NLC' || l === 'LNC')) {
      const written = node.attrs.batch_first ?? (RECURRENT.has(kind) ? ('units' in node.attrs ? true : false) : true);
      if (typeof written !== 'boolean') continue;
      const seqFirst = l === 'LNC';
      if (written === seqFirst) {
        throw new ModelError(
          'spec',
          `layer '${node.id}' reads an input the spec's layout calls ${l} (${seqFirst ? 'sequence first' : 'batch first'}), but it is batch_first: ${written}${'batch_first' in node.attrs ? '' : ' by default'}, so it would take the ${seqFirst ? 'sequence' : 'batch'} for the ${seqFirst ? 'batch' : 'sequence'}. Write batch_first: ${!written}.`,
          { loc: node.loc, layer: node.id },
        );
      }
      if (node.attrs.return_sequences !== false) layouts.set(node.id, l);
    }
  }
}
