// The SQLite write worker commits the writes queued behind each other in one transaction;
// a bad one among them must still fail alone, and a locked database refuses them all.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import type { NewEvent } from '../../src/storage/types.js';
import { cleanUpDatabases, sqliteEngine } from '../helpers/engines.js';

const group = (sessionToken: string, size: number): NewEvent[] =>
  Array.from({ length: size }, (_, n) => ({ sessionToken, eventType: 'action', eventData: { n } }));

await describe('SQLite writes queued together', () => {
  after(cleanUpDatabases);

  it('stores every write sent at once, each answered', async () => {
    const store = await (await sqliteEngine.createDatabase()).openStore();
    try {
      await Promise.all(Array.from({ length: 30 }, (_, n) => store.insertEvents(group(`ws_q${n}`, 5))));
      const stored = await store.queryEvents({ dataFilters: [], order: 'asc', limit: 1000 });
      assert.equal(stored.length, 150);
      assert.deepEqual(new Set(stored.map((e) => e.session_token)).size, 30);
    } finally {
      await store.close();
    }
  });

  it('refuses a bad write alone and stores the ones queued beside it', async () => {
    const store = await (await sqliteEngine.createDatabase()).openStore();
    try {
      // A null session token breaks the events table's NOT NULL: that write's transaction fails.
      const bad = [{ sessionToken: null, eventType: 'action', eventData: {} } as unknown as NewEvent];
      const writes = [group('ws_a', 3), group('ws_b', 3), bad, group('ws_c', 3), group('ws_d', 3)];
      const outcomes = await Promise.all(writes.map((events) => store.insertEvents(events).then(() => 'stored', () => 'refused')));
      assert.deepEqual(outcomes, ['stored', 'stored', 'refused', 'stored', 'stored']);
      const stored = await store.queryEvents({ dataFilters: [], order: 'asc', limit: 1000 });
      assert.deepEqual(stored.map((e) => e.session_token), ['ws_a', 'ws_a', 'ws_a', 'ws_b', 'ws_b', 'ws_b', 'ws_c', 'ws_c', 'ws_c', 'ws_d', 'ws_d', 'ws_d']);
    } finally {
      await store.close();
    }
  });

  it('refuses every write queued while another process holds the lock, then stores again', async () => {
    const database = await sqliteEngine.createDatabase();
    const store = await database.openStore();
    const other = new BetterSqlite3(database.url.slice('sqlite:'.length));
    try {
      other.exec('BEGIN EXCLUSIVE');
      const outcomes = await Promise.all(['ws_l1', 'ws_l2', 'ws_l3', 'ws_l4'].map((token) => store.insertEvents(group(token, 2)).then(() => 'stored', () => 'refused')));
      other.exec('COMMIT');
      assert.deepEqual(outcomes, ['refused', 'refused', 'refused', 'refused']);
      await store.insertEvents(group('ws_after', 2));
      const stored = await store.queryEvents({ dataFilters: [], order: 'asc', limit: 1000 });
      assert.deepEqual(stored.map((e) => e.session_token), ['ws_after', 'ws_after']);
    } finally {
      other.close();
      await store.close();
    }
  });
});
