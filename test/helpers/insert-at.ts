import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { problemFact } from '../../src/analytics/problem-facts.js';
import { SqliteEventWriter } from '../../src/storage/sqlite/sqlite-event-writer.js';

/** Rows per INSERT on PostgreSQL. */
const CHUNK = 10_000;

/** An event stored at a chosen time (the service always stores "now"). */
export interface PastEvent {
  sessionToken: string;
  eventType: string;
  eventData: Record<string, unknown>;
  at: Date;
}

/**
 * Writes events straight into the database with their own `created_at`, in time order
 * (so that ids follow times, as when the service stores them): to test what reads make
 * of a class's history, with session_activity and event_problems kept as the service keeps them.
 */
export async function insertAt(databaseUrl: string, events: readonly PastEvent[]): Promise<void> {
  const inOrder = [...events].sort((a, b) => a.at.getTime() - b.at.getTime());
  if (databaseUrl.startsWith('sqlite:')) {
    const db = new BetterSqlite3(databaseUrl.slice('sqlite:'.length));
    // The service's own writer (it keeps session_activity there; PostgreSQL's trigger does here).
    const writer = new SqliteEventWriter(db);
    db.transaction(() => inOrder.forEach(({ at, ...event }) => writer.insertEvents([event], at.toISOString())))();
    db.close();
    return;
  }
  const rows = inOrder.map((e) => [e.sessionToken, e.eventType, JSON.stringify(e.eventData), e.at.toISOString()] as const);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (let start = 0; start < rows.length; start += CHUNK) {
      const chunk = rows.slice(start, start + CHUNK);
      const { rows: stored } = await client.query<{ event_id: string; session_token: string; event_type: string; event_data: Record<string, unknown>; created_at: Date }>(
        `INSERT INTO events (session_token, event_type, event_data, created_at)
         SELECT t, y, d, c FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::timestamptz[]) WITH ORDINALITY AS r(t, y, d, c, n)
         ORDER BY n
         RETURNING event_id, session_token, event_type, event_data, created_at`,
        [0, 1, 2, 3].map((column) => chunk.map((row) => row[column])),
      );
      // The service's writer stores these with the events (insert-events-function.ts).
      const problems = stored.flatMap((row) => {
        const fact = problemFact(row.event_type, row.event_data);
        return fact === null ? [] : [{ ...fact, eventId: row.event_id, sessionToken: row.session_token, atMs: row.created_at.getTime() }];
      });
      await client.query(
        `INSERT INTO event_problems (event_id, session_token, at_ms, kind, label, pattern, status, step, step_name)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::integer[], $8::text[], $9::text[])`,
        [
          problems.map((p) => p.eventId),
          problems.map((p) => p.sessionToken),
          problems.map((p) => p.atMs),
          problems.map((p) => p.kind),
          problems.map((p) => p.label),
          problems.map((p) => p.pattern),
          problems.map((p) => p.status),
          problems.map((p) => p.step),
          problems.map((p) => p.stepName),
        ],
      );
    }
  } finally {
    await client.end();
  }
}
