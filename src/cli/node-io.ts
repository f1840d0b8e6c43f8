/**
 * @module
 * The CLI's connection to a real Node process: standard input read with a size cap, standard output that
 * ends quietly when the reader goes away (`nncalc … | head -1`), and the terminal's width.
 */
import { ModelError } from '../errors.js';
import { MAX_TEXT_BYTES } from '../limits.js';
import type { Io } from './main.js';

/** Reads standard input as UTF-8, refusing more than `limit` bytes (`nncalc - < /dev/zero` stops at the cap). */
export async function readStdin(stream: AsyncIterable<Uint8Array | string> = process.stdin, limit = MAX_TEXT_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    total += b.length;
    if (total > limit) {
      throw new ModelError('input', `standard input is larger than ${limit / 1024 / 1024} MiB, the most nncalc reads as text. Give a model file by its path instead.`);
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The Io of this process. A closed pipe on stdout ends the process with exit code 0 and no message. */
export function nodeIo(): Io {
  const quiet = (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  };
  process.stdout.on('error', quiet);
  process.stderr.on('error', quiet);
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    readStdin: () => readStdin(),
    env: process.env,
    columns: process.stdout.columns,
    isTTY: process.stdout.isTTY,
  };
}
