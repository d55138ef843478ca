import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createStore } from '../../src/storage/index.js';
import type { EventStore } from '../../src/storage/types.js';
import { createDatabase, dropDatabase, postgresAvailable } from './postgres.js';

/** A real database for one test: a fresh SQLite file, or a PostgreSQL database cloned from a migrated template. */
export interface TestDatabase {
  url: string;
  /** A migrated store on this database (the caller closes it). */
  openStore(): Promise<EventStore>;
}

export interface TestEngine {
  name: 'sqlite' | 'postgres';
  /** False when this engine is not reachable here (and not required). */
  available(): Promise<boolean>;
  /** `empty`: no schema at all (to test migrations), instead of the latest. */
  createDatabase(options?: { empty: boolean }): Promise<TestDatabase>;
}

const cleanups: Array<() => Promise<void>> = [];

/**
 * Drops the databases and files made so far. Call it in each top-level suite's last
 * `after` hook (describeEachEngine does): a file-level hook would run after the file's
 * first suite already, when the later ones have not made theirs yet.
 */
export async function cleanUpDatabases(): Promise<void> {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  template = undefined;
}

async function migratedStore(url: string): Promise<EventStore> {
  const store = createStore(url);
  await store.migrate();
  return store;
}

/** SQLite alone, for suites that are about it or compare the other engine with it. */
export const sqliteEngine: TestEngine = {
  name: 'sqlite',
  available: () => Promise.resolve(true),
  async createDatabase() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'session-log-test-'));
    cleanups.push(() => fs.promises.rm(dir, { recursive: true, force: true }));
    const url = `sqlite:${path.join(dir, 'events.db')}`;
    return { url, openStore: () => migratedStore(url) };
  },
};

let template: Promise<string> | undefined;

/** Migrates one template database per test process; each test database is a copy of it. */
function migratedTemplate(): Promise<string> {
  template ??= (async () => {
    const { name, url } = await createDatabase();
    cleanups.push(() => dropDatabase(name));
    const store = await migratedStore(url);
    await store.close();
    return name;
  })();
  return template;
}

const postgres: TestEngine = {
  name: 'postgres',
  available: postgresAvailable,
  async createDatabase(options) {
    const { name, url } = await createDatabase(options?.empty === true ? undefined : await migratedTemplate());
    cleanups.unshift(() => dropDatabase(name));
    return { url, openStore: () => migratedStore(url) };
  },
};

export const ENGINES: readonly TestEngine[] = [sqliteEngine, postgres];
