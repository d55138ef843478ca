import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';

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
 * of a class's history. The database's own trigger keeps session_activity as for any insert.
 */
export async function insertAt(databaseUrl: string, events: readonly PastEvent[]): Promise<void> {
  const rows = [...events].sort((a, b) => a.at.getTime() - b.at.getTime()).map((e) => [e.sessionToken, e.eventType, JSON.stringify(e.eventData), e.at.toISOString()] as const);
  if (databaseUrl.startsWith('sqlite:')) {
    const db = new BetterSqlite3(databaseUrl.slice('sqlite:'.length));
    const insert = db.prepare('INSERT INTO events (session_token, event_type, event_data, created_at) VALUES (?, ?, ?, ?)');
    db.transaction(() => rows.forEach((row) => insert.run(...row)))();
    db.close();
    return;
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (const row of rows) {
      await client.query('INSERT INTO events (session_token, event_type, event_data, created_at) VALUES ($1, $2, $3::jsonb, $4)', [...row]);
    }
  } finally {
    await client.end();
  }
}
