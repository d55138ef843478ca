import { once } from 'node:events';
import { createInterface } from 'node:readline/promises';

/** Whether a person can be asked: the answer comes from a terminal and the question goes to one. */
export const canAsk = (): boolean => process.stdin.isTTY && process.stderr.isTTY;

/**
 * Asks a yes/no question on the terminal (on stderr, so stdout stays data). Only `y` or
 * `yes` is a yes; Enter, anything else or Ctrl-D is a no. The terminal's own line editing
 * and echo are kept (no raw mode): Ctrl-C stops the program as anywhere else.
 *
 * @example if (!(await confirm('Erase ada@example.edu?'))) return;
 */
export async function confirm(question: string): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: process.stderr, terminal: false });
  try {
    process.stderr.write(`${question} [y/N] `);
    const answer = await Promise.race([once(prompt, 'line').then(([line]) => String(line)), once(prompt, 'close').then(() => '')]);
    return /^\s*y(es)?\s*$/i.test(answer);
  } finally {
    prompt.close();
  }
}
