/**
 * @module
 * GPT-2 (Radford et al. 2019) as `transformers`' GPT2LMHeadModel and GPT2Model: learned token and position
 * embeddings, pre-norm blocks (ln_1, attention, ln_2, MLP of width n_inner, default 4·n_embd), ln_f, and an
 * lm_head without bias that shares wte's matrix unless tie_word_embeddings is false.
 * Conv1D stores its weight as [in, out]; nncalc's linear layout is [out, in], the same count.
 *
 * GPTBigCode (SantaCoder, StarCoder 1) is GPT-2 with linear layers and, by default, multi-query attention: c_attn
 * projects to the queries and one shared key and value head, h + 2·d wide.
 */
import { block, residual, type Spec } from '../../describe/spec.js';
import { headDim, type HfConfig } from './config.js';
import { activation, add, attention, defaultSeq, embedding, layerNorm, linear, lmSpec, stack, tied } from './layers.js';

/** The Spec of a GPT-2 or GPTBigCode config (GPT-2's short key names, or the generic ones they alias). */
export function gpt2(cfg: HfConfig, name: string): Spec {
  const bigcode = cfg.family === 'gpt_bigcode';
  const hKeys = ['n_embd', 'hidden_size'];
  const h = cfg.int(hKeys, bigcode ? 768 : undefined);
  const layers = cfg.layers(['n_layer', 'num_hidden_layers'], bigcode ? 12 : undefined);
  const heads = cfg.int(['n_head', 'num_attention_heads'], bigcode ? 12 : undefined);
  const headsKey = cfg.has('n_head') ? 'n_head' : 'num_attention_heads';
  const inner = cfg.int('n_inner', 4 * h);
  const vocab = cfg.int('vocab_size', bigcode ? 50257 : undefined);
  const positions = cfg.int(['n_positions', 'max_position_embeddings'], 1024);
  const act = cfg.str('activation_function', bigcode ? 'gelu_pytorch_tanh' : 'gelu_new');
  const d = headDim(cfg, { key: cfg.has('n_embd') ? 'n_embd' : 'hidden_size', value: h }, { key: headsKey, value: heads });
  const kv = bigcode && cfg.bool('multi_query', true) ? 1 : heads;
  if (cfg.bool('add_cross_attention', false)) cfg.fail('add_cross_attention', `${bigcode ? 'GPTBigCode' : 'GPT-2'} with cross-attention is not supported.`, 'unsupported');

  const lm = cfg.architecture === 'GPT2LMHeadModel' || cfg.architecture === 'GPTBigCodeForCausalLM';
  const p = lm ? 'transformer.' : '';
  const attn = { heads, kvHeads: kv, headDim: d, hidden: h, qkvBias: true, outBias: true, causal: true };
  const base = [
    embedding('wte', vocab, h),
    // Position ids have the shape of the token ids.
    embedding('wpe', positions, h, { inputs: ['input'] }),
    add('embed_add', 'embeddings', ['wte', 'wpe']),
    stack(cfg, 'h', layers, bigcode ? 'GPTBigCodeBlock' : 'GPT2Block', () => [
      residual([layerNorm('ln_1'), attention('attn', attn)], add('attn_residual', 'attention')),
      residual(
        [layerNorm('ln_2'), block('mlp', [linear('c_fc', inner, true, 'mlp'), activation('act', act, 'mlp'), linear('c_proj', h, true, 'mlp')])],
        add('mlp_residual', 'mlp'),
      ),
    ]),
    layerNorm('ln_f'),
  ];
  const share = tied(cfg, true);
  const layersSpec = lm ? [block('transformer', base), linear('lm_head', vocab, false, 'head', share ? { tied: `${p}wte.weight` } : {})] : base;
  const positionsKey = cfg.has('n_positions') || !cfg.has('max_position_embeddings') ? 'n_positions' : 'max_position_embeddings';
  return lmSpec(
    name,
    cfg,
    defaultSeq(positions),
    layersSpec,
    [
      ...(kv === 1 ? [`Multi-query attention: c_attn projects to ${heads} query heads and one key and one value head (h + 2·d = ${h + 2 * d}).`] : []),
      ...(lm && share ? [`lm_head's weight is ${p}wte.weight (counted once).`] : []),
    ],
    { positions: { max: positions, kind: 'learned', key: positionsKey } },
  );
}
