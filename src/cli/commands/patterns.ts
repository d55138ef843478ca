import { Option, type Command } from 'commander';
import type { Static } from 'typebox';
import type { ApiFailuresResponse, ErrorPatternsResponse } from '../../analytics/analytics-schemas.js';
import { connectionOf } from '../connection.js';
import { addDataFilterOption, addWindowOptions, filterParams, positiveInteger, type FilterOptions } from '../filter-options.js';
import { apiClient } from '../http-client.js';
import { plural, stepCounts, windowText } from '../output/analytics-text.js';
import { outputWidth, writeOut } from '../output/stdout.js';
import { tableWriter } from '../output/table.js';

interface PatternsOptions extends FilterOptions {
  limit?: number;
  apiCalls?: boolean;
  json?: boolean;
}

type ErrorPatterns = Static<typeof ErrorPatternsResponse>;
type FailedApiCalls = Static<typeof ApiFailuresResponse>;
type Group = Pick<ErrorPatterns['patterns'][number], 'count' | 'students' | 'steps'>;

const COLUMNS = [
  { header: 'COUNT', align: 'right' as const },
  { header: 'STUDENTS', align: 'right' as const },
  { header: 'STEPS', max: 30 },
  { header: 'PATTERN' },
];

/** `patterns`: the errors (or failed API calls) the class keeps hitting, most frequent first. */
export function registerPatterns(program: Command): void {
  const command = program.command('patterns').description('The errors students hit, grouped by pattern, most frequent first (--api-calls: failed API calls).');
  addWindowOptions(command, ' (default 24h)');
  addDataFilterOption(command)
    .addOption(new Option('--limit <n>', 'at most n patterns (default 50)').argParser(positiveInteger(200)))
    .option('--api-calls', 'failed API calls, by endpoint and status, instead of errors')
    .option('--json', "the service's answer, as JSON")
    .addHelpText('after', '\nExamples:\n  session-log patterns --since 3h --data workshopId=spring-26\n  session-log patterns --api-calls')
    .action(async (options: PatternsOptions, self: Command) => {
      const client = apiClient(connectionOf(self));
      const query = filterParams(options);
      if (options.limit !== undefined) query.set('limit', String(options.limit));
      const path = options.apiCalls === true ? '/api/analytics/api-calls' : '/api/analytics/errors';
      const answer = await client.json<ErrorPatterns | FailedApiCalls>('GET', path, { query });
      if (options.json === true) return writeOut(`${JSON.stringify(answer, null, 2)}\n`);
      await writeOut(`${'groups' in answer ? apiCallsText(answer) : errorsText(answer)}\n`);
    });
}

function errorsText(answer: ErrorPatterns): string {
  const title = `${plural(answer.totalErrors, 'error')} ${windowText(answer.window)}, ${plural(answer.patterns.length, 'pattern')}`;
  const rows = answer.patterns.map((each) => [...counts(each), each.errorType === null ? each.pattern : `${each.errorType}: ${each.pattern}`]);
  return [title, ...(rows.length === 0 ? [] : tableWriter(COLUMNS, outputWidth()).lines(rows))].join('\n');
}

function apiCallsText(answer: FailedApiCalls): string {
  const title = `${plural(answer.totalFailures, 'failed API call')} ${windowText(answer.window)}, ${plural(answer.groups.length, 'group')}`;
  const rows = answer.groups.map((each) => [...counts(each), `${each.method ?? '?'} ${each.endpoint} → ${each.status ?? 'failed'}`]);
  return [title, ...(rows.length === 0 ? [] : tableWriter(COLUMNS, outputWidth()).lines(rows))].join('\n');
}

const counts = (group: Group): string[] => [String(group.count), String(group.students), stepCounts(group.steps)];
