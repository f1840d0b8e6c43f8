/** Runs the CLI in-process with captured output. */
import { main } from '../src/cli/main.js';

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** main(argv) with a fake terminal: no colour, fixed width unless given. */
export async function run(argv: readonly string[], opts: { stdin?: string; env?: Record<string, string>; tty?: boolean; columns?: number } = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    readStdin: async () => opts.stdin ?? '',
    env: opts.env ?? {},
    columns: opts.columns,
    isTTY: opts.tty ?? false,
  });
  return { code, stdout, stderr };
}
