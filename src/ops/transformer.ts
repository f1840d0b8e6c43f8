/**
 * @module
 * PyTorch's nn.TransformerEncoderLayer and nn.TransformerDecoderLayer as single ops, on batch-first [N, L, d_model]
 * by default (batch_first=True; nncalc's default, where PyTorch's is False), or [L, N, d_model] with batch_first false. Encoder: self_attn (packed multi-head attention), linear1 [d_ff, d_model], linear2
 * [d_model, d_ff], norm1 and norm2 (LayerNorm). Decoder: also multihead_attn over the memory (its second input,
 * [N, S, d_model]) and norm3. norm_first moves the norms before each sub-block; it changes no count.
 * MACs: the attentions (see attention.ts) + 2·N·L·d_model·d_ff for the feed-forward.
 * FLOPs besides MACs: the attentions', 7 per element per LayerNorm, the bias adds, 1 per d_ff element for the
 * activation and 1 per element for each residual add.
 */
import { add, dim, lit, mul, term, type Count } from '../count.js';
import type { Shape, Weight } from '../types.js';
import { attentionDims, attentionFlops, attentionMacs, attentionWeights, type Attention } from './attention.js';
import { defineOp, type OpDef } from './op.js';
import { shapeError } from './spatial.js';

/** Normalised transformer-layer attributes. */
export interface TransformerLayer {
  /** The width the spec gave (PyTorch's d_model); checked against the input. */
  readonly d_model: number | undefined;
  /** [N, L, d] when true (nncalc's default), [L, N, d] when false (PyTorch's default). */
  readonly batch_first: boolean;
  readonly nhead: number;
  readonly dim_feedforward: number;
  readonly dropout: number;
  readonly activation: 'relu' | 'gelu';
  readonly layer_norm_eps: number;
  readonly norm_first: boolean;
  /** PyTorch 2's switch for every linear and LayerNorm bias. */
  readonly bias: boolean;
}

/** The packed attention inside a layer. */
const inner = (a: TransformerLayer): Attention => ({
  num_heads: a.nhead,
  num_kv_heads: a.nhead,
  head_dim: undefined,
  qkv_bias: a.bias,
  out_bias: a.bias,
  packed: true,
  qk_norm: false,
  causal: false,
  dropout: a.dropout,
  batch_first: a.batch_first,
  d_model: a.d_model,
});

function layerOp(decoder: boolean): OpDef<TransformerLayer> {
  const kind = decoder ? 'transformer_decoder_layer' : 'transformer_encoder_layer';
  const what = decoder ? 'transformer_decoder_layer' : 'transformer_encoder_layer';
  const norms = decoder ? 3 : 2;
  /** The self-attention and, for the decoder, the cross-attention, with their input sizes. */
  const attentions = (a: TransformerLayer, inputs: readonly Shape[]) => {
    if (decoder !== (inputs.length === 2)) {
      throw shapeError(`${what} reads ${decoder ? 'two inputs, the target [N, L, d_model] and the memory [N, S, d_model]' : 'one input [N, L, d_model]'}, but received ${inputs.length}.`);
    }
    const self = attentionDims(inner(a), [inputs[0]!], what);
    if (decoder && inputs[1]!.length === 3 && inputs[1]![2] !== self.dModel) {
      throw shapeError(`${what} needs the memory width to equal d_model. Received: memory [${inputs[1]!.join(', ')}], d_model=${self.dModel}.`);
    }
    return decoder ? [self, attentionDims(inner(a), inputs, what)] : [self];
  };
  return defineOp<TransformerLayer>({
    kind,
    title: decoder ? 'TransformerDecoderLayer' : 'TransformerEncoderLayer',
    doc:
      `PyTorch's ${decoder ? 'TransformerDecoderLayer (self-attention, cross-attention over the memory input, feed-forward)' : 'TransformerEncoderLayer (self-attention, feed-forward)'} ` +
      `on [N, L, d_model] ([L, N, d_model] with batch_first false): packed attention 4·d_model² + 4·d_model each, linears 2·d_model·d_ff + d_ff + d_model, ${norms} LayerNorms 2·d_model. ` +
      'MACs: the attentions + 2·N·L·d_model·d_ff.',
    attrs: (r) => ({
      d_model: r.has('d_model') ? r.int('d_model', { min: 1 }) : undefined,
      batch_first: r.bool('batch_first', true),
      nhead: r.int('nhead', { min: 1 }),
      dim_feedforward: r.int('dim_feedforward', { min: 1, default: 2048 }),
      dropout: r.num('dropout', { min: 0, max: 1, default: 0.1 }),
      activation: r.oneOf('activation', ['relu', 'gelu'] as const, 'relu'),
      layer_norm_eps: r.num('layer_norm_eps', { min: 0, default: 1e-5 }),
      norm_first: r.bool('norm_first', false),
      bias: r.bool('bias', true),
    }),
    shape(a, inputs) {
      const [self] = attentions(a, inputs);
      return [a.batch_first ? [self!.n, self!.l, self!.dModel] : [self!.l, self!.n, self!.dModel]];
    },
    weights(a, inputs) {
      const [self, cross] = attentions(a, inputs);
      const d = self!.dModel;
      const dm = term('d_model', d);
      const ff = term('d_ff', a.dim_feedforward);
      const w = (name: string, shape: number[], count: Count): Weight => ({ name, shape, count });
      const linear = (name: string, out: Count, inp: Count): Weight[] => [
        w(`${name}.weight`, [dim(out), dim(inp)], mul(out, inp)),
        ...(a.bias ? [w(`${name}.bias`, [dim(out)], out)] : []),
      ];
      const norm = (i: number): Weight[] => [w(`norm${i}.weight`, [d], dm), ...(a.bias ? [w(`norm${i}.bias`, [d], dm)] : [])];
      return [
        ...attentionWeights(inner(a), self!, 'self_attn.'),
        ...(cross ? attentionWeights(inner(a), cross, 'multihead_attn.') : []),
        ...linear('linear1', ff, dm),
        ...linear('linear2', dm, ff),
        ...Array.from({ length: norms }, (_, i) => norm(i + 1)).flat(),
      ];
    },
    macs(a, inputs) {
      const dims = attentions(a, inputs);
      const s = dims[0]!;
      const ffn = mul(lit(2), term('N', s.n), term('L', s.l), term('d_model', s.dModel), term('d_ff', a.dim_feedforward));
      return add(...dims.map((d) => attentionMacs(inner(a), d)), ffn);
    },
    flops(a, inputs) {
      const dims = attentions(a, inputs);
      const s = dims[0]!;
      const rows = [term('N', s.n), term('L', s.l)];
      const dm = term('d_model', s.dModel);
      const ff = term('d_ff', a.dim_feedforward);
      // LayerNorm: 5 per element, +2 with γ and β; residual adds: one per sub-block.
      const perNorm = a.bias ? 7 : 6;
      return add(
        ...dims.map((d) => attentionFlops(inner(a), d)),
        ...(a.bias ? [mul(...rows, ff), mul(...rows, dm)] : []),
        mul(...rows, ff),
        mul(lit(norms * perNorm), ...rows, dm),
        mul(lit(norms), ...rows, dm),
      );
    },
    label: (a) => `${decoder ? 'dec' : 'enc'}-${a.nhead}h-${a.dim_feedforward}`,
  });
}

export const transformerEncoderLayer = layerOp(false);
export const transformerDecoderLayer = layerOp(true);
