/**
 * @module
 * Vision-language models as `transformers` builds them (model.vision_tower, model.multi_modal_projector,
 * model.language_model, lm_head), with a breakdown per part: the vision tower ('vision'), the projector
 * ('projector') and the language model's own roles.
 *
 * LLaVA (LlavaForConditionalGeneration): a CLIP vision tower, whole (post_layernorm included) though the features are
 * hidden_states[vision_feature_layer] (a list joins several), without the class token under the 'default' strategy;
 * the projector linear_1 → GELU → linear_2; a Llama-like language model from text_config.
 * Gemma 3 (Gemma3ForConditionalGeneration): a SigLIP vision tower (no head when vision_use_head is false), the patch
 * grid average-pooled to mm_tokens_per_image tokens, mm_soft_emb_norm and the bare matrix mm_input_projection_weight;
 * the Gemma 3 text model, with lm_head tied to its embeddings.
 * The image's tokens are drawn before the text's: the language model reads image + seq tokens.
 */
import { block, op, type LayerSpec, type OpSpec, type Spec } from '../../describe/spec.js';
import { PIXELS } from './clip.js';
import type { HfConfig } from './config.js';
import { activation, linear, modelSpec, tied, withRole } from './layers.js';
import { TRAITS } from './llama-traits.js';
import { decoderBase } from './llama.js';
import { patches, visionTower } from './vision.js';

/** The language model of a text_config: its model_type when nncalc builds it like Llama, else `fallback`. */
function languageModel(cfg: HfConfig, fallback: string): { text: HfConfig; base: LayerSpec[]; vocab: number; hidden: number; notes: string[] } {
  const raw = cfg.raw['text_config'];
  const type = raw && typeof raw === 'object' && typeof (raw as Record<string, unknown>)['model_type'] === 'string' ? ((raw as Record<string, unknown>)['model_type'] as string) : fallback;
  if (!Object.hasOwn(TRAITS, type)) cfg.fail('text_config', `text_config's model_type '${type}' is not a decoder nncalc builds here. Supported: ${Object.keys(TRAITS).join(', ')}.`, 'unsupported');
  const text = cfg.sub('text_config', type, 'LlamaModel');
  return { text, ...decoderBase(text) };
}

/** The language model under model.language_model, reading the image tokens `image` before the text's embeddings. */
function withImageTokens(base: readonly LayerSpec[], image: string): LayerSpec {
  const [embed, ...rest] = base;
  // embed_tokens reads the token ids, which come first; the image's tokens join them before the layers.
  return block('language_model', [{ ...(embed as OpSpec), inputs: ['input'] }, op('concat', { dim: 1 }, { name: 'image_and_text', role: 'embeddings', inputs: [image, 'embed_tokens'] }), ...rest]);
}

function spec(name: string, cfg: HfConfig, layers: LayerSpec[], image: { channels: number; side: number; tokens: number }, notes: readonly string[]): Spec {
  return modelSpec(
    name,
    cfg,
    { shape: [1, 128], seqAxis: 1, describe: `token ids [batch, seq], 128 text tokens unless --seq sets the length, and an image ${PIXELS} [batch, ${image.channels}, ${image.side}, ${image.side}]` },
    layers,
    [`The language model reads the image's ${image.tokens} tokens before the text's: image + seq positions.`, 'The breakdown gives the vision tower and the projector one role each.', ...notes],
    { extraInputs: [{ name: PIXELS, shape: [1, image.channels, image.side, image.side] }] },
  );
}

/** The Spec of a LLaVA config. */
export function llava(cfg: HfConfig, name: string): Spec {
  // Without vision_config LlavaConfig builds CLIP ViT-L/14 at 336; a vision_config it is given fills from CLIPVisionConfig.
  const visionCfg = cfg.sub('vision_config', cfg.has('vision_config') ? 'clip_vision_model' : 'llava_vision_model');
  const lm = languageModel(cfg, 'llama');
  const vision = visionTower(visionCfg, false, 'model.vision_tower.vision_model', PIXELS);
  const { n, image, channels } = patches(visionCfg);
  const raw = cfg.raw['vision_feature_layer'];
  const featureLayers = Array.isArray(raw) ? (raw as unknown[]) : [cfg.int('vision_feature_layer', undefined, -(2 ** 31))];
  // Each feature layer adds a layer or two (the class token cut, the join): charged before any is built.
  cfg.charge({ key: 'vision_feature_layer', value: featureLayers.length }, 2);
  const depth = vision.count.value;
  const index = featureLayers.map((f) => {
    if (typeof f !== 'number' || !Number.isInteger(f) || f < -(depth + 1) || f > depth) {
      return cfg.fail('vision_feature_layer', `vision_feature_layer picks hidden states 0…${depth} (or −${depth + 1}…−1) of the ${depth}-layer vision tower. Received: ${JSON.stringify(f)}.`);
    }
    return f < 0 ? depth + 1 + f : f;
  });
  const strategy = cfg.str('vision_feature_select_strategy');
  if (strategy !== 'default' && strategy !== 'full') cfg.fail('vision_feature_select_strategy', `vision_feature_select_strategy is 'default' (drop the class token) or 'full'. Received: '${strategy}'.`);
  const drop = strategy === 'default';
  const picks: LayerSpec[] = index.flatMap((k, i) =>
    drop ? [op('split', { dim: 1, sizes: [1, n] }, { name: `drop_class_token_${i}`, role: 'projector', inputs: [vision.hidden(k)] })] : [],
  );
  const features = index.map((k, i) => (drop ? `model.drop_class_token_${i}:1` : vision.hidden(k)));
  const joined = features.length > 1 ? [op('concat', { dim: -1 }, { name: 'features', role: 'projector', inputs: features })] : [];
  const bias = cfg.bool('multimodal_projector_bias');
  const projector = block('multi_modal_projector', [
    op('linear', { out: lm.hidden, bias }, { name: 'linear_1', role: 'projector', inputs: [joined.length ? 'model.features' : features[0]!] }),
    activation('act', cfg.str('projector_hidden_act'), 'projector'),
    linear('linear_2', lm.hidden, bias, 'projector'),
  ]);
  const share = tied(cfg, cfg.bool('tie_word_embeddings'));
  const model = block('model', [
    block('vision_tower', withRole(vision.layers, 'vision')),
    ...picks,
    ...joined,
    projector,
    withImageTokens(lm.base, 'model.multi_modal_projector.linear_2'),
  ]);
  const layers = [model, linear('lm_head', lm.vocab, false, 'head', share ? { tied: 'model.language_model.embed_tokens.weight' } : {})];
  return spec(name, cfg, layers, { channels, side: image, tokens: drop ? n : n + 1 }, [
    `The projector reads hidden_states[${featureLayers.join(', ')}] of the vision tower${drop ? ' without the class token' : ''}; the tower runs whole, post_layernorm included, as transformers builds it.`,
    ...lm.notes,
  ]);
}

/** The Spec of a Gemma 3 multimodal config. */
export function gemma3(cfg: HfConfig, name: string): Spec {
  const visionCfg = cfg.sub('vision_config', 'siglip_vision_model');
  const lm = languageModel(cfg, 'gemma3_text');
  const vision = visionTower(visionCfg, true, 'model.vision_tower.vision_model', PIXELS);
  const { image, patch, channels } = patches(visionCfg);
  const grid = image / patch;
  const tokens = cfg.int('mm_tokens_per_image');
  const side = Math.round(Math.sqrt(tokens));
  if (side * side !== tokens || grid % side !== 0) {
    cfg.fail('mm_tokens_per_image', `mm_tokens_per_image must be a square whose side divides the ${grid}×${grid} patch grid. Received: mm_tokens_per_image=${tokens}.`);
  }
  const vh = vision.width;
  const projector = block('multi_modal_projector', [
    op('transpose', { dim0: 1, dim1: 2 }, { name: 'transpose', role: 'projector', inputs: [vision.pooled] }),
    op('reshape', { shape: [-1, vh, grid, grid] }, { name: 'reshape', role: 'projector' }),
    op('avgpool2d', { kernel: grid / side, stride: grid / side }, { name: 'avg_pool', role: 'projector' }),
    op('flatten', { start_dim: 2 }, { name: 'flatten', role: 'projector' }),
    op('transpose', { dim0: 1, dim1: 2 }, { name: 'transpose_back', role: 'projector' }),
    op('rmsnorm', {}, { name: 'mm_soft_emb_norm', role: 'projector' }),
    linear('mm_input_projection_weight', lm.hidden, false, 'projector'),
  ]);
  const model = block('model', [
    block('vision_tower', withRole(vision.layers, 'vision')),
    projector,
    withImageTokens(lm.base, 'model.multi_modal_projector.mm_input_projection_weight'),
  ]);
  const share = tied(cfg, cfg.bool('tie_word_embeddings'));
  const layers = [model, linear('lm_head', lm.vocab, false, 'head', share ? { tied: 'model.language_model.embed_tokens.weight' } : {})];
  return spec(name, cfg, layers, { channels, side: image, tokens }, [
    `The ${grid}×${grid} patch grid is average-pooled to ${side}×${side} = ${tokens} image tokens; mm_input_projection_weight is a bare matrix [${vh}, ${lm.hidden}], drawn as a linear layer without bias.`,
    ...lm.notes,
  ]);
}
