// Two instances writing the same session at once: each sees what the other committed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { createStore } from '../../src/storage/index.js';
import type { EventStore } from '../../src/storage/types.js';
import { cleanUpDatabases, ENGINES } from '../helpers/engines.js';
import { postgresAvailable } from '../helpers/postgres.js';

const WRITE_LOCK_KEY = 1582665748;
/** Short, so that the test can outwait it. */
const STUDENT_MEMORY_MS = 200;

await describe('PostgreSQL instances sharing a database', { skip: (await postgresAvailable()) ? false : 'postgres unreachable' }, () => {
  let url: string;
  let a: EventStore;
  let b: EventStore;
  let admin: pg.Client;
  before(async () => {
    url = (await ENGINES[1]!.createDatabase()).url;
    a = createStore(url, { studentMemoryMs: STUDENT_MEMORY_MS });
    b = createStore(url, { studentMemoryMs: STUDENT_MEMORY_MS });
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
  });
  after(async () => {
    await a.close();
    await b.close();
    await admin.end();
  });
  after(cleanUpDatabases);

  const waiters = async () =>
    Number((await admin.query<{ n: string }>("SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")).rows[0]?.n);
  const untilWaiters = async (n: number) => {
    while ((await waiters()) < n) await new Promise((resolve) => setTimeout(resolve, 10));
  };

  it('links an anonymous event to the student another instance identified while it waited', async () => {
    await admin.query('BEGIN');
    await admin.query('SELECT pg_advisory_xact_lock($1)', [WRITE_LOCK_KEY]);
    const identified = a.insertEvents([{ sessionToken: 'ws_shared', eventType: 'action', eventData: { n: 1 }, studentEmail: 'ann@example.com' }]);
    await untilWaiters(1);
    const anonymous = b.insertEvents([{ sessionToken: 'ws_shared', eventType: 'action', eventData: { n: 2 } }]);
    await untilWaiters(2);
    await admin.query('COMMIT');
    await Promise.all([identified, anonymous]);

    const events = await a.queryEvents({ sessionToken: 'ws_shared', dataFilters: [], order: 'asc', limit: 10 });
    assert.deepEqual(events.map((e) => [e.event_data.n, e.student_email]), [
      [1, 'ann@example.com'],
      [2, 'ann@example.com'],
    ]);
  });

  it('keeps the name last sent, whichever instance it came through', async () => {
    const named = (store: EventStore, studentName: string) =>
      store.insertEvents([{ sessionToken: 'ws_renamed', eventType: 'action', eventData: {}, studentEmail: 'nia@example.com', studentName }]);
    const name = async () => (await a.queryEvents({ studentEmail: 'nia@example.com', dataFilters: [], order: 'desc', limit: 1 }))[0]?.student_name;
    await named(a, 'Nia');
    await named(b, 'Nia Long');
    assert.equal(await name(), 'Nia Long');
    await new Promise((resolve) => setTimeout(resolve, STUDENT_MEMORY_MS + 50));
    await named(a, 'Nia');
    assert.equal(await name(), 'Nia');
  });
});
