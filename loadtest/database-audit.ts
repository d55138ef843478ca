// What the database holds at the end, counted there: every acknowledged event stored,
// none stored twice, and each live stream given every event it watched exactly once.
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import type { LiveStream, StreamFilter } from './live-stream.js';

export interface StorageAudit {
  eventsStored: number;
  /** Acknowledged (200) but not in the database. */
  lost: number;
  /** Rows beyond the first for one eventId (the column is UNIQUE: this checks that it is). */
  duplicatedEventIds: number;
  /** Rows beyond the first for one (session, seq): the same event stored under two ids. */
  duplicatedSeqs: number;
  /** Stored, though no answer said so: its 200 lost with a killed instance, or still on its way at the deadline. */
  storedUnacknowledged: number;
}

export async function auditStorage(db: pg.Client, acknowledged: ReadonlySet<string>): Promise<StorageAudit> {
  const { rows } = await db.query<{ id: string }>('SELECT client_event_id::text AS id FROM events WHERE client_event_id IS NOT NULL');
  const stored = new Set(rows.map((row) => row.id));
  let lost = 0;
  for (const id of acknowledged) if (!stored.has(id)) lost += 1;
  const counts = await db.query<{ events: string; ids: string; seqs: string }>(`
    SELECT (SELECT count(*) FROM events) AS events,
           (SELECT count(client_event_id) - count(DISTINCT client_event_id) FROM events) AS ids,
           (SELECT coalesce(sum(copies - 1), 0) FROM (
              SELECT count(*) AS copies FROM events WHERE seq IS NOT NULL GROUP BY session_token, seq HAVING count(*) > 1) AS twice) AS seqs`);
  const row = counts.rows[0];
  return {
    eventsStored: Number(row?.events),
    lost,
    duplicatedEventIds: Number(row?.ids),
    duplicatedSeqs: Number(row?.seqs),
    storedUnacknowledged: [...stored].filter((id) => !acknowledged.has(id)).length,
  };
}

export interface StreamAudit {
  filter: StreamFilter;
  /** Events the database holds that the stream was to see: matching, after its start. */
  expected: number;
  received: number;
  missing: number;
  /** Received more than once. */
  duplicated: number;
  /** Received but not expected (another filter's, or from before the start). */
  unexpected: number;
}

/**
 * Waits (up to `timeoutMs`) until each stream has received the last event it watches,
 * then compares what it received with what the database holds after its start.
 */
export async function auditStreams(db: pg.Client, streams: readonly LiveStream[], timeoutMs: number): Promise<StreamAudit[]> {
  const expectations: number[][] = [];
  for (const stream of streams) expectations.push(await expectedIds(db, stream));
  const deadline = Date.now() + timeoutMs;
  const caughtUp = () => streams.every((stream, index) => stream.lastId() >= (expectations[index]?.at(-1) ?? 0));
  while (!caughtUp() && Date.now() < deadline) await sleep(100);
  return streams.map((stream, index) => compare(stream, expectations[index] ?? []));
}

async function expectedIds(db: pg.Client, stream: LiveStream): Promise<number[]> {
  const { filter, startId } = stream.history;
  if (startId === null) return [];
  const conditions = ['event_id > $1'];
  const values: Array<string | number> = [startId];
  const equal = (column: string, value: string) => {
    values.push(value);
    conditions.push(`${column} = $${values.length}`);
  };
  if (filter.eventType !== undefined) equal('event_type', filter.eventType);
  if (filter.sessionToken !== undefined) equal('session_token', filter.sessionToken);
  const { rows } = await db.query<{ id: string }>(`SELECT event_id AS id FROM events WHERE ${conditions.join(' AND ')} ORDER BY event_id`, values);
  return rows.map((row) => Number(row.id));
}

function compare(stream: LiveStream, expected: readonly number[]): StreamAudit {
  const received = new Set(stream.eventIds);
  const wanted = new Set(expected);
  return {
    filter: stream.history.filter,
    expected: expected.length,
    received: stream.eventIds.length,
    missing: expected.filter((id) => !received.has(id)).length,
    duplicated: stream.eventIds.length - received.size,
    unexpected: [...received].filter((id) => !wanted.has(id)).length,
  };
}
