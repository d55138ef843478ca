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
    for await (const row of selectEvents({ ...engine, db: reader.db }, query, horizon).stream(CHUNK)) {
      yield toStoredEvent(engine, row);
    }
  } finally {
    await reader.release();
  }
}
