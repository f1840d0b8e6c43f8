/**
 * @module
 * The Hugging Face `model_type`s nncalc builds and, for each, the classes (`architectures[0]`) it builds: the first
 * is used when a config names none. Other spellings of a model_type or a class that older configs carry (remote-code
 * class names, RW-era Falcon) are mapped to the current ones.
 */

/** The classes each family supports, by `architectures[0]`; the first is used when the config names none. */
export const ARCHITECTURES = {
  bert: ['BertModel', 'BertForMaskedLM'],
  roberta: ['RobertaModel', 'RobertaForMaskedLM'],
  'xlm-roberta': ['XLMRobertaModel', 'XLMRobertaForMaskedLM'],
  distilbert: ['DistilBertModel', 'DistilBertForMaskedLM'],
  albert: ['AlbertModel', 'AlbertForMaskedLM'],
  electra: ['ElectraModel', 'ElectraForPreTraining', 'ElectraForMaskedLM'],
  'deberta-v2': ['DebertaV2Model'],
  gpt2: ['GPT2LMHeadModel', 'GPT2Model'],
  gpt_bigcode: ['GPTBigCodeForCausalLM', 'GPTBigCodeModel'],
  gpt_neox: ['GPTNeoXForCausalLM', 'GPTNeoXModel'],
  gptj: ['GPTJForCausalLM', 'GPTJModel'],
  opt: ['OPTForCausalLM', 'OPTModel'],
  bloom: ['BloomForCausalLM', 'BloomModel'],
  falcon: ['FalconForCausalLM', 'FalconModel'],
  mpt: ['MptForCausalLM', 'MptModel'],
  llama: ['LlamaForCausalLM', 'LlamaModel'],
  mistral: ['MistralForCausalLM', 'MistralModel'],
  mixtral: ['MixtralForCausalLM', 'MixtralModel'],
  qwen2: ['Qwen2ForCausalLM', 'Qwen2Model'],
  qwen3: ['Qwen3ForCausalLM', 'Qwen3Model'],
  qwen2_moe: ['Qwen2MoeForCausalLM', 'Qwen2MoeModel'],
  qwen3_moe: ['Qwen3MoeForCausalLM', 'Qwen3MoeModel'],
  gemma: ['GemmaForCausalLM', 'GemmaModel'],
  gemma2: ['Gemma2ForCausalLM', 'Gemma2Model'],
  gemma3_text: ['Gemma3ForCausalLM', 'Gemma3TextModel'],
  phi: ['PhiForCausalLM', 'PhiModel'],
  phi3: ['Phi3ForCausalLM', 'Phi3Model'],
  starcoder2: ['Starcoder2ForCausalLM', 'Starcoder2Model'],
  stablelm: ['StableLmForCausalLM', 'StableLmModel'],
  olmo: ['OlmoForCausalLM', 'OlmoModel'],
  olmo2: ['Olmo2ForCausalLM', 'Olmo2Model'],
  granite: ['GraniteForCausalLM', 'GraniteModel'],
  deepseek_v2: ['DeepseekV2ForCausalLM', 'DeepseekV2Model'],
  deepseek_v3: ['DeepseekV3ForCausalLM', 'DeepseekV3Model'],
  mamba: ['MambaForCausalLM', 'MambaModel'],
  mamba2: ['Mamba2ForCausalLM', 'Mamba2Model'],
  t5: ['T5ForConditionalGeneration', 'T5Model', 'T5EncoderModel'],
  bart: ['BartModel', 'BartForConditionalGeneration'],
  mbart: ['MBartForConditionalGeneration', 'MBartModel'],
  marian: ['MarianMTModel', 'MarianModel'],
  whisper: ['WhisperForConditionalGeneration', 'WhisperModel'],
  vit: ['ViTModel', 'ViTForImageClassification'],
  dinov2: ['Dinov2Model'],
  clip: ['CLIPModel'],
  siglip: ['SiglipModel'],
  llava: ['LlavaForConditionalGeneration'],
  gemma3: ['Gemma3ForConditionalGeneration'],
} as const satisfies Readonly<Record<string, readonly string[]>>;

/** The classes of a family, as plain strings. */
export const archsOf = (family: Family): readonly string[] => ARCHITECTURES[family];

/** A `model_type` nncalc builds. */
export type Family = keyof typeof ARCHITECTURES;

/** The `model_type` values nncalc builds, in the order of the table above. */
export const FAMILIES = Object.keys(ARCHITECTURES) as readonly Family[];

/** Older spellings of a model_type: Falcon's configs before its port to transformers. */
export const TYPE_ALIASES: Readonly<Record<string, Family>> = { RefinedWebModel: 'falcon', RefinedWeb: 'falcon' };

/** Class names that remote-code configs carry for a class transformers now builds under another name. */
export const ARCHITECTURE_ALIASES: Readonly<Record<string, string>> = {
  MPTForCausalLM: 'MptForCausalLM',
  RWForCausalLM: 'FalconForCausalLM',
  StableLMEpochForCausalLM: 'StableLmForCausalLM',
};

/** The keys a decoder config needs to be counted as a Llama-like decoder when nncalc does not know its model_type. */
export const DECODER_KEYS = ['hidden_size', 'num_hidden_layers', 'intermediate_size', 'num_attention_heads', 'vocab_size'] as const;
