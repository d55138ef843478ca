import type { Database } from 'better-sqlite3';
import type { NewEvent } from '../types.js';
import { SqliteEventWriter } from './sqlite-event-writer.js';

/** Writes on the calling thread, through the main connection (for `sqlite::memory:`). */
export class SqliteInlineWriter {
  readonly concurrency = 1;
  private writer: SqliteEventWriter | undefined;

  constructor(private readonly database: Database) {}

  async insertEvents(events: readonly NewEvent[]): Promise<void> {
    // Prepared on first use: the tables exist only once migrations have run.
    this.writer ??= new SqliteEventWriter(this.database);
    this.writer.insertEvents(events);
  }

  async close(): Promise<void> {}
}
