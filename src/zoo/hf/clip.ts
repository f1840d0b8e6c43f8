/**
 * @module
 * CLIP (Radford et al. 2021) and SigLIP (Zhai et al. 2023) as `transformers`' CLIPModel and SiglipModel: a text tower
 * (text_config) and a vision tower (vision_config), then the contrastive logits of every text against every image.
 * CLIP projects each tower's pooled state with visual_projection and text_projection (no biases) and keeps a
 * 0-dimensional logit_scale; SigLIP's towers end in their own heads (the vision tower's attention-pooling head, the
 * text tower's linear head) and it keeps logit_scale and logit_bias. The breakdown gives each tower and the
 * projections their own role.
 */
import type { Spec } from '../../describe/spec.js';
import { op } from '../../describe/spec.js';
import type { HfConfig } from './config.js';
import { modelSpec, withRole } from './layers.js';
import { patches, textTower, visionTower } from './vision.js';

export const PIXELS = 'pixel_values';

/** The Spec of a CLIP or SigLIP config. */
export function clip(cfg: HfConfig, name: string): Spec {
  const siglip = cfg.family === 'siglip';
  const textCfg = cfg.sub('text_config', siglip ? 'siglip_text_model' : 'clip_text_model');
  const visionCfg = cfg.sub('vision_config', siglip ? 'siglip_vision_model' : 'clip_vision_model');
  const text = textTower(textCfg, siglip, 'text_model', 'input');
  const vision = visionTower(visionCfg, siglip, 'vision_model', PIXELS);
  const { image, channels } = patches(visionCfg);
  const dim = siglip ? 0 : cfg.int('projection_dim');
  const projections = siglip
    ? []
    : [
        op('linear', { out: dim, bias: false }, { name: 'visual_projection', role: 'projector', inputs: [vision.pooled] }),
        op('linear', { out: dim, bias: false }, { name: 'text_projection', role: 'projector', inputs: [text.pooled] }),
      ];
  const logits = op('similarity', siglip ? { bias: true } : { scalar: true }, {
    name: 'logits',
    role: 'projector',
    inputs: siglip ? [text.pooled, vision.pooled] : ['text_projection', 'visual_projection'],
  });
  return modelSpec(
    name,
    cfg,
    { shape: [1, text.positions], seqAxis: 1, describe: `token ids [batch, seq], ${text.positions} tokens unless --seq sets the length, and an image ${PIXELS} [batch, ${channels}, ${image}, ${image}]` },
    [...withRole(text.layers, 'text'), ...withRole(vision.layers, 'vision'), ...projections, logits],
    [
      siglip
        ? 'The text tower pools its last position into text_model.head; the vision tower pools by attention (vision_model.head, a learned probe query).'
        : "The text tower pools the end-of-text token (drawn as the last position: the same count); the vision tower the class token after post_layernorm.",
      `logits compares every text with every image: [texts, images], N·M·d MACs; logit_scale${siglip ? ' and logit_bias are' : ' is'} ${siglip ? 'single values' : 'a single value'}.`,
      'The breakdown gives the text tower, the vision tower and the projections one role each.',
    ],
    { extraInputs: [{ name: PIXELS, shape: [1, channels, image, image] }], outputs: ['logits'] },
  );
}
