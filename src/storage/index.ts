import { openPostgresEngine, type PostgresOptions } from './postgres/postgres-engine.js';
import { SqlEventStore } from './sql/sql-event-store.js';
import { openSqliteEngine } from './sqlite/sqlite-engine.js';
import type { EventStore } from './types.js';

export type StoreOptions = PostgresOptions;

/**
 * The one place that picks an engine from the database URL.
 *
 * @example const store = createStore('postgres://postgres@127.0.0.1:5432/test');
 */
export function createStore(databaseUrl: string, options: StoreOptions = {}): EventStore {
  const sqlitePath = /^sqlite:(.+)$/.exec(databaseUrl)?.[1];
  if (sqlitePath !== undefined) return new SqlEventStore(openSqliteEngine(sqlitePath));
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return new SqlEventStore(openPostgresEngine(databaseUrl, options));
  throw new Error(`unsupported database URL scheme: ${databaseUrl.split(':')[0] ?? ''}`);
}
