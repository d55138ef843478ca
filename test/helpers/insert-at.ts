import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
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
 * of a class's history, with session_activity kept as the service keeps it.
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
      await client.query(
        `INSERT INTO events (session_token, event_type, event_data, created_at)
         SELECT t, y, d, c FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::timestamptz[]) WITH ORDINALITY AS r(t, y, d, c, n)
         ORDER BY n`,
        [0, 1, 2, 3].map((column) => chunk.map((row) => row[column])),
      );
    }
  } finally {
    await client.end();
  }
}
