import { createStore } from '../../src/storage/index.js';
import { postgresSeedDatabase } from './seed-postgres.js';
import { sqliteSeedDatabase } from './seed-sqlite.js';

/** A database filled with service-shaped rows (see seed-shape.ts) without going through the service. */
export interface SeedDatabase {
  /** The service's DATABASE_URL for it. */
  readonly url: string;
  /** Adds events until the table holds `rows`. */
  grow(rows: number): Promise<void>;
  /** Swaps events_session_idx (session_token, event_id) for a session_token-only index, or back. */
  useSessionIndex(kind: 'composite' | 'single'): Promise<void>;
}

/** Migrates the database at `url` (sqlite:<file> or postgres://…) and adds the seed students and sessions. */
export async function openSeedDatabase(url: string, log: (line: string) => void): Promise<SeedDatabase> {
  await migrate(url);
  const file = /^sqlite:(.+)$/.exec(url)?.[1];
  return file === undefined ? postgresSeedDatabase(url, log) : sqliteSeedDatabase(url, file, log);
}

/** Creates the service's schema, through the service's own migrations. */
export async function migrate(url: string): Promise<void> {
  const store = createStore(url);
  try {
    await store.migrate();
  } finally {
    await store.close();
  }
}
