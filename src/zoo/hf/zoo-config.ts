/**
 * @module
 * The zoo's transformers as data: the keys of each model's published config.json on the Hugging Face Hub that
 * decide its structure (values as the files give them; keys the files leave out take the class defaults).
 * `architecture` overrides the file's `architectures[0]` where the usual parameter count describes another class.
 */

/** One zoo transformer: its Hub repository and the relevant keys of its config.json. */
export interface HfZooConfig {
  readonly name: string;
  readonly title: string;
  /** The Hub repository whose config.json this is. */
  readonly repo: string;
  readonly config: Readonly<Record<string, unknown>>;
  readonly architecture?: string;
  /** The count the source publishes (model card, paper, the Hub's safetensors total), when it is exact. */
  readonly published?: number;
}
