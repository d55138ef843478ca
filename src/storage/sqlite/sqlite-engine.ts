import { Kysely, SqliteDialect, sql, type Transaction } from 'kysely';
import { InProcessChangeChannel } from '../in-process-change-channel.js';
import type { Database } from '../sql/database.js';
import type { SqlEngine } from '../sql/sql-engine.js';
import { sqliteMigrations } from './migrations.js';
import { isTransientSqliteError, openSqliteConnection, openSqliteReader } from './sqlite-connection.js';
import { SqliteInlineWriter } from './sqlite-inline-writer.js';
import { SqliteWriteThread } from './sqlite-write-thread.js';
import { sqliteJsonField } from './sqlite-json-field.js';

/**
 * SQLite: reads and migrations on the main thread; writes on a worker thread with its
 * own connection (WAL lets them run side by side), except for an in-memory database,
 * which only one connection can see.
 */
export function openSqliteEngine(file: string): SqlEngine {
  const database = openSqliteConnection(file);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  const writes = file === ':memory:' ? new SqliteInlineWriter(database) : new SqliteWriteThread(file);

  return {
    db,
    migrations: sqliteMigrations,
    // One writer per process, and SQLite's write lock, already order commits.
    insertEvents: (events) => writes.insertEvents(events),
    writeConcurrency: writes.concurrency,
    decodeData: (raw) => JSON.parse(raw as string) as Record<string, unknown>,
    encodeTime: (time) => time.toISOString(),
    decodeTime: (raw) => raw as string,
    decodeId: (raw) => raw as number,
    encodeBoolean: (value) => (value ? 1 : 0),
    // One writer thread: ids follow commit order, every committed row is settled.
    followHorizon: () => Promise.resolve(undefined),
    changes: new InProcessChangeChannel(),
    // One connection reads, one thread writes: nothing waits for a connection.
    poolUse: () => null,
    // Kysely's transactions begin DEFERRED: one that reads, then meets the writer's lock, fails at once.
    writeTransaction: <T>(work: (trx: Transaction<Database>) => Promise<T>) =>
      db.connection().execute(async (connection) => {
        await sql`BEGIN IMMEDIATE`.execute(connection);
        try {
          const result = await work(connection as Transaction<Database>);
          await sql`COMMIT`.execute(connection);
          return result;
        } catch (error) {
          await sql`ROLLBACK`.execute(connection);
          throw error;
        }
      }),
    rowId: 'rowid',
    locksRows: false,
    openLongRunning: (purpose) => {
      if (file === ':memory:' || purpose === 'migrate') return { db, shared: true, release: () => Promise.resolve() };
      const reader = new Kysely<Database>({ dialect: new SqliteDialect({ database: openSqliteReader(file) }) });
      return { db: reader, shared: false, release: () => reader.destroy() };
    },
    aggregating: (work) => work(db),
    unindexed: (column) => sql`+${column}`,
    // A text that reads back the same as a number is one: "3" and "2.5", not "3a" or "03".
    stepNumber: (text) => sql<number | null>`CASE WHEN CAST(CAST(${text} AS REAL) AS TEXT) IN (${text}, ${text} || '.0') THEN CAST(${text} AS REAL) END`,
    jsonField: sqliteJsonField,
    isTransient: isTransientSqliteError,
    isMissingReference: (error) => (error as { code?: unknown } | null)?.code === 'SQLITE_CONSTRAINT_FOREIGNKEY',
    close: async () => {
      await writes.close();
      await db.destroy();
    },
  };
}
