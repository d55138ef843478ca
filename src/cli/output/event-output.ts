import type { Static } from 'typebox';
import type { StoredEventSchema } from '../../schemas/responses.js';
import { tableWriter, type Column } from './table.js';
import { dataText } from './terminal-text.js';
import { outputWidth, writeOut } from './stdout.js';

/** An event as the API returns it (GET /api/session-log, the stream, the export). */
export type StoredEvent = Static<typeof StoredEventSchema>;

export type EventFormat = 'table' | 'json' | 'ndjson';

/** A table on a terminal; when piped, NDJSON unless asked otherwise: what scripts read best. */
export function eventFormat(options: { json?: boolean; ndjson?: boolean }): EventFormat {
  if (options.json === true) return 'json';
  if (options.ndjson === true) return 'ndjson';
  return process.stdout.isTTY ? 'table' : 'ndjson';
}

// The minimums leave room for what comes later in a tail, whose widths its first event sets.
const EVENT_COLUMNS: Column[] = [
  { header: 'TIME (UTC)', min: 20, max: 20 },
  { header: 'TYPE', min: 10, max: 20 },
  { header: 'STUDENT', min: 12, max: 32 },
  { header: 'SESSION', min: 8, max: 24 },
  { header: 'DATA' },
];

const eventRow = (event: StoredEvent): string[] => [
  // To the second on a screen; the JSON outputs keep the milliseconds.
  event.created_at.replace(/\.\d+Z$/, 'Z'),
  event.event_type,
  event.student_email ?? event.student_name ?? '-',
  event.session_token,
  dataText(event.event_data),
];

/**
 * Prints events as they come, page by page or one by one, in `format`: a table (header
 * once), NDJSON (one event a line) or a JSON array (closed by `end`).
 *
 * @example
 * const printer = eventPrinter('table');
 * await printer.write(page.events);
 * await printer.end();
 */
export function eventPrinter(format: EventFormat) {
  const table = tableWriter(EVENT_COLUMNS, outputWidth());
  let printed = 0;
  return {
    async write(events: StoredEvent[]): Promise<void> {
      if (events.length === 0) return;
      if (format === 'table') await writeOut(`${table.lines(events.map(eventRow)).join('\n')}\n`);
      else if (format === 'ndjson') await writeOut(events.map((event) => `${JSON.stringify(event)}\n`).join(''));
      else await writeOut(events.map((event, index) => `${printed + index === 0 ? '[\n' : ',\n'}${JSON.stringify(event)}`).join(''));
      printed += events.length;
    },
    async end(): Promise<void> {
      if (format === 'json') await writeOut(printed === 0 ? '[]\n' : '\n]\n');
      else if (format === 'table' && printed === 0) await writeOut('(no events match)\n');
    },
  };
}
