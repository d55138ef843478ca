import type { Command } from 'commander';
import type { Static } from 'typebox';
import type { FunnelResponse } from '../../analytics/analytics-schemas.js';
import { connectionOf } from '../connection.js';
import { addDataFilterOption, addWindowOptions, filterParams, type FilterOptions } from '../filter-options.js';
import { apiClient } from '../http-client.js';
import { duration, plural, stepLabel, windowText } from '../output/analytics-text.js';
import { outputWidth, writeOut } from '../output/stdout.js';
import { tableWriter } from '../output/table.js';

type Funnel = Static<typeof FunnelResponse>;

const COLUMNS = [
  { header: 'STEP', max: 40 },
  { header: 'REACHED', align: 'right' as const },
  { header: 'MEDIAN', align: 'right' as const },
  { header: 'P90', align: 'right' as const },
  { header: 'LEFT HERE', align: 'right' as const },
  { header: 'WENT BACK', align: 'right' as const },
  { header: 'ON IT NOW', align: 'right' as const },
];

/** `funnel`: how the class moved through the workshop's steps. */
export function registerFunnel(program: Command): void {
  const command = program
    .command('funnel')
    .description('Step by step: how many students reached it, how long they took (median, p90), how many left or went back.');
  addWindowOptions(command, ' (default 24h)');
  addDataFilterOption(command)
    .option('--json', "the service's answer, as JSON")
    .addHelpText('after', '\nExample:\n  session-log funnel --since 4h --data workshopId=spring-26')
    .action(async (options: FilterOptions & { json?: boolean }, self: Command) => {
      const funnel = await apiClient(connectionOf(self)).json<Funnel>('GET', '/api/analytics/funnel', { query: filterParams(options) });
      if (options.json === true) return writeOut(`${JSON.stringify(funnel, null, 2)}\n`);
      const rows = funnel.steps.map((step) => [
        stepLabel(step),
        String(step.reached),
        duration(step.medianSeconds),
        duration(step.p90Seconds),
        String(step.leftHere),
        String(step.wentBack),
        String(step.onStepNow),
      ]);
      const title = `${plural(funnel.students, 'student')} ${windowText(funnel.window)}`;
      await writeOut(`${[title, ...(rows.length === 0 ? [] : tableWriter(COLUMNS, outputWidth()).lines(rows))].join('\n')}\n`);
    });
}
