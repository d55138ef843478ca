// A database migrated by a newer version of the service is refused, in words an operator reads.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { createStore } from '../../src/storage/index.js';
import { describeEachEngine } from '../helpers/each-engine.js';

await describeEachEngine('a database from a newer version', (engine) => {
  it('is refused, naming the migration this version does not know', async () => {
    const { url } = await engine.createDatabase();
    const migrated = createStore(url);
    await migrated.migrate();
    await migrated.close();
    const future = ['999_future', new Date().toISOString()];
    if (engine.name === 'sqlite') {
      const db = new BetterSqlite3(url.slice('sqlite:'.length));
      db.prepare('INSERT INTO kysely_migration (name, timestamp) VALUES (?, ?)').run(...future);
      db.close();
    } else {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query('INSERT INTO kysely_migration (name, timestamp) VALUES ($1, $2)', future);
      await client.end();
    }
    const store = createStore(url);
    try {
      await assert.rejects(store.migrate(), /migrated by a newer version of session-log \(migration 999_future is unknown to this one\)/);
    } finally {
      await store.close();
    }
  });
});
