import { InvalidArgumentError, Option, type Command } from 'commander';

/** The options of GET /api/session-log's filters, as commander parses them. */
export interface FilterOptions {
  session?: string;
  email?: string;
  type?: string;
  since?: string;
  until?: string;
  data?: Array<[field: string, condition: string]>;
}

const DATA_HELP = 'an event_data condition, field=[op:]value, op one of eq (default), ne, gt, gte, lt, lte (repeatable: status=gte:400 --data status=lt:500)';
const TIME_HELP = 'an ISO 8601 instant (2026-03-02T09:00:00Z) or an age (90s, 30m, 2h, 7d)';

/** --session, --email, --type: which events. */
export function addEventFilterOptions(command: Command): Command {
  return command
    .option('--session <token>', 'events of one session')
    .option('--email <email>', 'events of one student')
    .option('--type <type>', 'events of one type (navigation, error, action, api_call, state_change, …)');
}

/** --since, --until: a time window. */
export function addWindowOptions(command: Command, defaults = ''): Command {
  return command
    .addOption(new Option('--since <time>', `from this time: ${TIME_HELP}${defaults}`).argParser(parseTime))
    .addOption(new Option('--until <time>', 'up to (not including) this time, as --since').argParser(parseTime));
}

/** --data field=[op:]value, repeatable. */
export function addDataFilterOption(command: Command): Command {
  return command.addOption(new Option('--data <condition>', DATA_HELP).argParser(parseDataCondition));
}

/** The filters as the API's query parameters. */
export function filterParams(options: FilterOptions): URLSearchParams {
  const params = new URLSearchParams();
  const set = (name: string, value: string | undefined) => value !== undefined && params.set(name, value);
  set('sessionToken', options.session);
  set('studentEmail', options.email);
  set('eventType', options.type);
  set('since', options.since);
  set('until', options.until);
  for (const [field, condition] of options.data ?? []) params.append(`data.${field}`, condition);
  return params;
}

const FIELD = /^(?:data\.)?([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)=([\s\S]*)$/;

/** A repeatable field=[op:]value option's values so far, and this one. */
export function parseDataCondition(value: string, previous: FilterOptions['data']): NonNullable<FilterOptions['data']> {
  const match = FIELD.exec(value);
  if (match === null) {
    throw new InvalidArgumentError('expected field=[op:]value, e.g. status=gte:400 or errorType=openai_validation_failed');
  }
  return [...(previous ?? []), [match[1] ?? '', match[2] ?? '']];
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** An age (`2h`) becomes the instant that long ago; anything else goes to the service as written, which checks it. */
function parseTime(value: string): string {
  const age = /^(\d{1,9})([smhd])$/.exec(value.trim());
  if (age === null) return value;
  return new Date(Date.now() - Number(age[1]) * (UNIT_MS[age[2] ?? 's'] ?? 1000)).toISOString();
}

/** A whole number from 1 to `max`, for --limit and the like. */
export function positiveInteger(max: number): (value: string) => number {
  return (value) => {
    if (!/^[1-9]\d*$/.test(value) || Number(value) > max) throw new InvalidArgumentError(`expected a whole number from 1 to ${max}`);
    return Number(value);
  };
}
