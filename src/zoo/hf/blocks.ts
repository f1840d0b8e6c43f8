/**
 * @module
 * How the families wire a layer: where the norms sit around attention and the MLP, the MLP shapes, and a base model
 * with or without its output head. Each family names its modules; these helpers only connect them.
 */
import { block, parallel, residual, type BlockSpec, type LayerSpec, type OpSpec } from '../../describe/spec.js';
import type { HfConfig } from './config.js';
import { activation, add, linear, mul, type Role } from './layers.js';
import { reading } from '../blocks.js';

/**
 * Where a decoder layer's norms sit:
 * - 'sequential': x + attn(n₀(x)), then + mlp(n₁(x)) (GPT-2, Llama, BLOOM);
 * - 'parallel2': x + attn(n₀(x)) + mlp(n₁(x)) (GPT-NeoX, Falcon's ln_attn/ln_mlp);
 * - 'parallel1': y = n₀(x); x + attn(y) + mlp(y) (GPT-J, Phi, Falcon-7B, StableLM's parallel residual);
 * - 'post': n₀(x + attn(x)), then n₁(x + mlp(x)) (BERT, OPT-350m, BART).
 */
export type Layout = 'sequential' | 'parallel2' | 'parallel1' | 'post';

/** One decoder layer's sub-layers, wired as `layout` says. `norms` are n₀ and n₁ (one for 'parallel1'). */
export function decoderLayer(layout: Layout, norms: readonly OpSpec[], attn: OpSpec, mlp: LayerSpec, mlpRole: Role = 'mlp'): LayerSpec[] {
  const [n0, n1] = norms;
  switch (layout) {
    case 'sequential':
      return [residual([n0!, attn], add('attn_residual', 'attention')), residual([n1!, mlp], add('mlp_residual', mlpRole))];
    case 'parallel2':
      return [parallel([[n0!, attn], [n1!, mlp], []], add('residual', 'attention'))];
    case 'parallel1':
      return [parallel([[n0!, attn], [reading(mlp, n0!.name!)], []], add('residual', 'attention'))];
    case 'post':
      return [residual([attn], add('attn_residual', 'attention')), n0!, residual([mlp], add('mlp_residual', mlpRole)), n1!];
  }
}

/** An MLP: up projection, activation, down projection, under the family's names. */
export function plainMlp(name: string | undefined, up: readonly [string, number], act: readonly [string, string], down: readonly [string, number], bias: boolean, role: Role = 'mlp'): BlockSpec {
  return block(name, [linear(up[0], up[1], bias, role), activation(act[0], act[1], role), linear(down[0], down[1], bias, role)]);
}

/** A gated MLP: down(act(gate(x)) · up(x)), Llama's names unless given. */
export function gatedMlp(name: string | undefined, width: number, out: number, act: string, bias: boolean, names = ['gate_proj', 'up_proj', 'down_proj', 'act_fn'] as const): BlockSpec {
  const [gate, up, down, fn] = names;
  return block(name, [
    parallel([[linear(gate, width, bias, 'mlp'), activation(fn, act, 'mlp')], [linear(up, width, bias, 'mlp')]], mul('mul', 'mlp')),
    linear(down, out, bias, 'mlp'),
  ]);
}

/** What a causal LM adds to its base model. */
export interface Head {
  /** The base model's attribute in the *ForCausalLM class: 'model', 'transformer', 'gpt_neox'. */
  readonly prefix: string;
  /** The output projection's name: 'lm_head', 'embed_out'. */
  readonly name: string;
  readonly vocab: number;
  /** The token table inside the base model ('embed_tokens'); the head shares it when `tie`. */
  readonly embed: string;
  readonly tie: boolean;
  readonly bias?: boolean;
}

/** The base model alone (…Model), or under its prefix with an output head (…ForCausalLM, …LMHeadModel). */
export function withHead(cfg: HfConfig, base: readonly LayerSpec[], head: Head): { layers: LayerSpec[]; notes: string[] } {
  if (!/(ForCausalLM|LMHeadModel|ForConditionalGeneration)$/.test(cfg.architecture)) return { layers: [...base], notes: [] };
  const shared = `${head.prefix}.${head.embed}.weight`;
  return {
    layers: [block(head.prefix, base), linear(head.name, head.vocab, !!head.bias, 'head', head.tie ? { tied: shared } : {})],
    notes: head.tie ? [`${head.name}'s weight is ${shared} (counted once).`] : [],
  };
}
