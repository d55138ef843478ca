import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { createStore } from '../../src/storage/index.js';
import { postgresMigrations } from '../../src/storage/postgres/migrations.js';
import { sqliteMigrations } from '../../src/storage/sqlite/migrations.js';
import { postgresSeedDatabase } from './seed-postgres.js';
import { sqliteSeedDatabase } from './seed-sqlite.js';

/** A database filled with service-shaped rows (see seed-shape.ts) without going through the service. */
export interface SeedDatabase {
  /** The service's DATABASE_URL for it. */
  readonly url: string;
  /** Adds events until the table holds `rows`. */
  grow(rows: number): Promise<void>;
  /** What autovacuum would do soon after a bulk load or a migration's backfill: statistics and the visibility map. */
  settle(): Promise<void>;
  /** Swaps events_session_idx (session_token, event_id) for a session_token-only index, or back. */
  useSessionIndex(kind: 'composite' | 'single'): Promise<void>;
}

/**
 * Migrates the database at `url` (sqlite:<file> or postgres://…), up to `upTo` if given
 * (to seed an older schema and migrate it after), and adds the seed students and sessions.
 */
export async function openSeedDatabase(url: string, log: (line: string) => void, upTo?: string): Promise<SeedDatabase> {
  await migrate(url, upTo);
  const file = /^sqlite:(.+)$/.exec(url)?.[1];
  return file === undefined ? postgresSeedDatabase(url, log) : sqliteSeedDatabase(url, file, log);
}

/** Creates the service's schema (up to migration `upTo`, else all), through the service's own migrations. */
export async function migrate(url: string, upTo?: string): Promise<void> {
  if (upTo !== undefined) return migrateTo(url, upTo);
  const store = createStore(url);
  try {
    await store.migrate();
  } finally {
    await store.close();
  }
}

async function migrateTo(url: string, name: string): Promise<void> {
  const file = /^sqlite:(.+)$/.exec(url)?.[1];
  const db = new Kysely<unknown>({
    dialect: file === undefined ? new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }) : new SqliteDialect({ database: new BetterSqlite3(file) }),
  });
  try {
    const migrations = file === undefined ? postgresMigrations : sqliteMigrations;
    const { error } = await new Migrator({ db, provider: { getMigrations: () => Promise.resolve(migrations) } }).migrateTo(name);
    if (error !== undefined) throw error instanceof Error ? error : new Error(`migrating to ${name} failed`);
  } finally {
    await db.destroy();
  }
}
