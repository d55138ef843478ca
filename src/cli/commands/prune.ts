import type { Command } from 'commander';
import { connectionOf } from '../connection.js';
import { apiClient } from '../http-client.js';
import { plural } from '../output/analytics-text.js';
import { writeOut } from '../output/stdout.js';

interface RetentionRun {
  retentionDays: number;
  cutoff: string | null;
  dryRun: boolean;
  events: number;
}

/** `prune`: deletes what is older than the service's retention period, now. */
export function registerPrune(program: Command): void {
  program
    .command('prune')
    .description("Delete the events older than the service's retention period now (it also does so by itself).")
    .option('--dry-run', 'count what would be deleted; delete nothing')
    .option('--json', "the service's answer, as JSON")
    .addHelpText('after', '\nExample:\n  session-log prune --dry-run')
    .action(async (options: { dryRun?: boolean; json?: boolean }, self: Command) => {
      const run = await apiClient(connectionOf(self)).json<RetentionRun>('POST', '/api/retention/run', { body: { dryRun: options.dryRun === true } });
      if (options.json === true) return writeOut(`${JSON.stringify(run, null, 2)}\n`);
      await writeOut(`${runText(run)}\n`);
    });
}

function runText(run: RetentionRun): string {
  if (run.retentionDays === 0 || run.cutoff === null) return 'retention is off (events are kept forever): nothing to delete';
  const rule = `created before ${run.cutoff} (retention: ${plural(run.retentionDays, 'day')})`;
  return run.dryRun ? `would delete ${plural(run.events, 'event')} ${rule}` : `deleted ${plural(run.events, 'event')} ${rule}`;
}
