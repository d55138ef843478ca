import { once } from 'node:events';

/** Writes to stdout, waiting while the reader is slower (a pager, a pipe into a slow program). */
export async function writeOut(text: string | Uint8Array): Promise<void> {
  if (!process.stdout.write(text)) await once(process.stdout, 'drain');
}

/** A terminal that does not say how wide it is (a bare pseudo-terminal says 0). */
const DEFAULT_COLUMNS = 80;

/** Where a table may run to: the terminal's width, or no limit when piped. */
export const outputWidth = (): number => (process.stdout.isTTY ? process.stdout.columns || DEFAULT_COLUMNS : Infinity);
