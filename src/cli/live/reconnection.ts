import { setTimeout as sleep } from 'node:timers/promises';
import { CliError, ExitCode } from '../exit-codes.js';

const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 5_000;

/**
 * Waits between attempts to reach the service again: 0.5 s, doubling up to 5 s, from
 * the start again after a success. Says once per outage that it lost the service, and
 * when it is back, rather than a line per attempt.
 *
 * @example
 * const reconnection = reconnecting(notice);
 * try { await read(); reconnection.succeeded(); } catch (error) { await reconnection.failed(error); }
 */
export function reconnecting(notice: (text: string) => void) {
  let delay = FIRST_DELAY_MS;
  let lost = false;
  return {
    succeeded(): void {
      if (lost) notice('reconnected');
      lost = false;
      delay = FIRST_DELAY_MS;
    },
    /** Rethrows what no retry will mend (a refused token, a bad filter); else waits. */
    async failed(error: unknown): Promise<void> {
      if (error instanceof CliError && error.exitCode !== ExitCode.unavailable) throw error;
      if (!lost) notice(`${error instanceof Error ? error.message : String(error)}; reconnecting`);
      lost = true;
      await sleep(delay);
      delay = Math.min(delay * 2, MAX_DELAY_MS);
    },
  };
}
