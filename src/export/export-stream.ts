import { Readable, pipeline, type Transform } from 'node:stream';
import type { StoredEvent } from '../storage/types.js';
import { csvEncoder, csvRecord } from './csv-export.js';

export const EXPORT_FORMATS = {
  csv: { contentType: 'text/csv; charset=utf-8', extension: 'csv' },
  json: { contentType: 'application/json; charset=utf-8', extension: 'json' },
  ndjson: { contentType: 'application/x-ndjson; charset=utf-8', extension: 'ndjson' },
} as const;
export type ExportFormat = keyof typeof EXPORT_FORMATS;

/**
 * The events as a byte stream in `format`, pulled as the socket drains: a stream read no
 * faster than its reader, so memory stays flat however many events. Destroying it (the
 * client went away) ends the iteration, which closes the database cursor.
 */
export function exportStream(format: ExportFormat, events: AsyncGenerator<StoredEvent>): Readable {
  if (format === 'csv') return throughEncoder(Readable.from(records(events), { objectMode: true }), csvEncoder());
  return Readable.from(format === 'json' ? jsonArray(events) : ndjson(events), { objectMode: false });
}

async function* records(events: AsyncGenerator<StoredEvent>) {
  for await (const event of events) yield csvRecord(event);
}

async function* ndjson(events: AsyncGenerator<StoredEvent>) {
  for await (const event of events) yield `${JSON.stringify(event)}\n`;
}

/** `[`, the events one per line, `]`: valid JSON only once complete (a cut download does not parse). */
async function* jsonArray(events: AsyncGenerator<StoredEvent>) {
  let separator = '[\n';
  for await (const event of events) {
    yield `${separator}${JSON.stringify(event)}`;
    separator = ',\n';
  }
  yield separator === '[\n' ? '[]\n' : '\n]\n';
}

/** source → encoder, failing and ending together (an error or a close on either side reaches the other). */
function throughEncoder(source: Readable, encoder: Transform): Transform {
  pipeline(source, encoder, () => undefined);
  return encoder;
}
