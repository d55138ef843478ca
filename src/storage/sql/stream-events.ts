import type { ExportQuery, StoredEvent } from '../types.js';
import { selectEvents, toStoredEvent } from './select-events.js';
import type { SqlEngine } from './sql-engine.js';

/** Rows fetched per round trip of the PostgreSQL cursor. */
const CHUNK = 1000;

/**
 * The events of a query, read through a database cursor on a connection of their own: one
 * row at a time in memory whatever the count. Stopping the iteration (return(), a `break`)
 * closes the cursor and releases the connection.
 */
export async function* streamEvents(engine: SqlEngine, query: ExportQuery): AsyncGenerator<StoredEvent> {
  const reader = engine.openLongRunning('read');
  try {
    const horizon = query.order === 'asc' ? await engine.followHorizon() : undefined;
    const select = selectEvents({ ...engine, db: reader.db }, query, horizon);
    // An iterator left open on the engine's only connection would make every other query
    // fail as busy while the client reads: read it all at once (its data is in memory anyway).
    const rows = reader.shared ? await select.execute() : select.stream(CHUNK);
    for await (const row of rows) yield toStoredEvent(engine, row);
  } finally {
    await reader.release();
  }
}
