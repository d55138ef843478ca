import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import type { Database } from '../sql/database.js';
import type { SqlEngine } from '../sql/sql-engine.js';
import { sqliteMigrations } from './migrations.js';
import { sqliteJsonField } from './sqlite-json-field.js';

/**
 * How long a write waits for another process's lock. better-sqlite3 waits synchronously,
 * blocking the event loop, so keep it short and let the client retry on 503.
 */
const BUSY_TIMEOUT_MS = 200;

const TRANSIENT_CODES = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|READONLY)/;

/** Opens (creating if needed) a SQLite file in WAL mode with fsync on every commit. */
export function openSqliteEngine(file: string): SqlEngine {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const database = new BetterSqlite3(file);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = FULL');
  database.pragma('foreign_keys = ON');
  database.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });

  return {
    db,
    migrations: sqliteMigrations,
    // One connection per process: SQLite's write lock already orders commits.
    serializeWrites: () => Promise.resolve(),
    now: () => sql`strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
    encodeData: (data) => JSON.stringify(data),
    decodeData: (raw) => JSON.parse(raw as string) as Record<string, unknown>,
    encodeTime: (time) => time.toISOString(),
    decodeTime: (raw) => raw as string,
    decodeId: (raw) => raw as number,
    jsonField: sqliteJsonField,
    isTransient: (error) => TRANSIENT_CODES.test((error as { code?: unknown } | null)?.code as string),
    close: () => db.destroy(),
  };
}
