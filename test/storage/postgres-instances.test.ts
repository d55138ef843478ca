// Two instances writing the same session at once: each sees what the other committed.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { createStore } from '../../src/storage/index.js';
import type { EventStore } from '../../src/storage/types.js';
import { cleanUpDatabases, ENGINES } from '../helpers/engines.js';
import { postgresAvailable } from '../helpers/postgres.js';

const WRITE_LOCK_KEY = 1582665748;
const SESSION_LOCK_CLASS = 1582665749;
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

  it('links a later anonymous group that committed first, once the identifying group commits', async () => {
    // The identifying group also writes a session whose lock (taken first, in hash order)
    // is held here: the anonymous group, with later ids, commits before it.
    const { rows } = await admin.query<{ token: string }>(
      "SELECT t AS token FROM unnest(array['ws_block_a','ws_block_b','ws_block_c','ws_block_d']) AS t WHERE hashtext(t) < hashtext('ws_race') ORDER BY hashtext(t) LIMIT 1",
    );
    const blocker = rows[0]!.token;
    await admin.query('BEGIN');
    await admin.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [SESSION_LOCK_CLASS, blocker]);
    const identified = a.insertEvents([
      { sessionToken: blocker, eventType: 'action', eventData: {} },
      { sessionToken: 'ws_race', eventType: 'action', eventData: { n: 1 }, studentEmail: 'ray@example.com' },
    ]);
    await untilWaiters(1);
    await b.insertEvents([{ sessionToken: 'ws_race', eventType: 'action', eventData: { n: 2 } }]);
    const early = await b.queryEvents({ sessionToken: 'ws_race', dataFilters: [], order: 'desc', limit: 10 });
    assert.deepEqual(early.map((e) => [e.event_data.n, e.student_email]), [[2, null]], 'the later group committed first, anonymous');
    await admin.query('COMMIT');
    await identified;
    const events = await a.queryEvents({ sessionToken: 'ws_race', dataFilters: [], order: 'asc', limit: 10 });
    assert.deepEqual(events.map((e) => [e.event_data.n, e.student_email]), [
      [1, 'ray@example.com'],
      [2, 'ray@example.com'],
    ]);
  });

  it('never lets a reader following the log skip an id that commits after a later one', async () => {
    const follow = (store: EventStore) => store.queryEvents({ dataFilters: [], order: 'asc', limit: 100 });
    const before = (await follow(a)).at(-1)?.event_id ?? 0;
    // The late group takes its ids, then waits on its session's lock, held here.
    await admin.query('BEGIN');
    await admin.query(`SELECT pg_advisory_xact_lock($1, hashtext('ws_late'))`, [SESSION_LOCK_CLASS]);
    const late = a.insertEvents([{ sessionToken: 'ws_late', eventType: 'action', eventData: { n: 'late' } }]);
    await untilWaiters(1);
    await b.insertEvents([{ sessionToken: 'ws_early', eventType: 'action', eventData: { n: 'early' } }]);

    const committed = await b.queryEvents({ sessionToken: 'ws_early', dataFilters: [], order: 'desc', limit: 1 });
    assert.equal(committed.length, 1, 'the later id is committed and readable newest first');
    const lateId = committed[0]!.event_id - 1;
    assert.deepEqual((await follow(a)).filter((e) => e.event_id > before), [], 'nothing past the write in progress');

    await admin.query('COMMIT');
    await late;
    const followed = (await follow(b)).filter((e) => e.event_id > before);
    assert.deepEqual(followed.map((e) => [e.event_id, e.event_data.n]), [
      [lateId, 'late'],
      [lateId + 1, 'early'],
    ]);
  });

  it('never leaves the writers lock held by a write cancelled at any moment', async () => {
    // Writes cut short by statement timeouts of 1-4 ms land everywhere, the moment the
    // lock is granted included; afterwards no idle connection may still hold it.
    const call = `SELECT * FROM session_log_insert_events($1::text[], $2::text[], $3::jsonb[], $4::text[], $5::uuid[], $6::int[], '{}'::text[], '{}'::text[], '{}'::bigint[], '{}'::text[])`;
    const deadline = Date.now() + 3000;
    let cancelled = 0;
    await Promise.all(
      Array.from({ length: 16 }, async (_, worker) => {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        client.on('error', () => undefined);
        while (Date.now() < deadline) {
          await client.query(`SET statement_timeout = '${1 + (worker % 4)}ms'`).catch(() => undefined);
          await client.query(call, [[`ws_cut_${worker}`], ['action'], ['{}'], [null], [randomUUID()], [null]]).catch(() => (cancelled += 1));
        }
        await client.query('SET statement_timeout = 0').catch(() => undefined);
        const held = await client.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'advisory' AND granted",
        );
        await client.end();
        assert.equal(held.rows[0]?.n, 0, `worker ${worker} still holds an advisory lock`);
      }),
    );
    assert.ok(cancelled > 0, 'some writes were cancelled');
    await a.insertEvents([{ sessionToken: 'ws_after_cuts', eventType: 'action', eventData: {} }]);
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
