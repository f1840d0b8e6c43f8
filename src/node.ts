/**
 * @module
 * nncalc for Node: the library plus local model files (`import { summarizePath } from 'nncalc/node'`). Kept apart
 * from the main entry, which stays browser-safe.
 * @example const report = await summarizePath('models/llama/model.safetensors');
 */
import type { Report } from './analyze/index.js';
import type { ReadOptions } from './formats/index.js';
import { openLocalPath } from './io/node-file.js';
import { summarizeFile } from './summarize-file.js';
import type { SummarizeOptions } from './summarize.js';

export * from './index.js';
export { nodeFileSource, nodeFolder, openLocalPath } from './io/node-file.js';

/** Reads a local model file or folder (metadata only) and analyses it. */
export async function summarizePath(path: string, options: SummarizeOptions & ReadOptions = {}): Promise<Report> {
  const { input, folder } = await openLocalPath(path);
  try {
    return await summarizeFile(input, { sibling: (name) => folder.open(name), ...options });
  } finally {
    await folder.close?.();
  }
}
