// Erasure and retention beside writers that share the rows they delete: a session shared
// by two students, and (PostgreSQL) a writer committing while the deletion runs.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import pg from 'pg';
import { erasureAudit } from '../../src/erasure/erasure-audit.js';
import type { EventStore } from '../../src/storage/types.js';
import { describeEachEngine } from '../helpers/each-engine.js';

const action = (n: number, studentEmail?: string) => ({ sessionToken: 'ws_lab', eventType: 'action', eventData: { n }, studentEmail });
const ofStudent = async (store: EventStore, email: string) =>
  (await store.queryEvents({ studentEmail: email, dataFilters: [], order: 'asc', limit: 100 })).map((event) => event.event_data.n);

/** A writer of another instance, its group stored but not yet committed: `commit()` acknowledges it. */
async function heldWrite(url: string, token: string, data: object, known?: { id: number; email: string }) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('BEGIN');
  await client.query(
    `SELECT * FROM session_log_insert_events(ARRAY[$1], ARRAY['navigation'], ARRAY[$2::jsonb], ARRAY[$3::text], ARRAY[NULL::uuid], ARRAY[NULL::integer],
       ARRAY[]::text[], ARRAY[]::text[], $4::bigint[], $5::text[], ARRAY[NULL::jsonb])`,
    [token, JSON.stringify(data), known?.email ?? null, known === undefined ? [] : [known.id], known === undefined ? [] : [known.email]],
  );
  return {
    client,
    commit: async () => {
      await client.query('COMMIT');
    },
  };
}

const count = async (client: pg.Client, query: string, token: string) => Number((await client.query<{ n: string }>(query, [token])).rows[0]?.n);

await describeEachEngine('erasure beside other students and writers', (engine) => {
  it('erases one student of a shared session and leaves the other’s events, link and activity', async () => {
    const store = await (await engine.createDatabase()).openStore();
    try {
      await store.insertEvents([action(1, 'ada@example.com')]);
      await store.insertEvents([action(2, 'bob@example.com')]);
      await store.insertEvents([action(3)]);
      assert.deepEqual(await ofStudent(store, 'bob@example.com'), [2, 3]);
      const counts = await store.erase({ kind: 'student', email: 'ada@example.com' }, erasureAudit('ada@example.com', 'token'));
      assert.equal(counts?.events, 1);
      assert.deepEqual(await ofStudent(store, 'bob@example.com'), [2, 3], 'Bob’s events stay');
      await store.insertEvents([action(4)]);
      assert.deepEqual(await ofStudent(store, 'bob@example.com'), [2, 3, 4], 'the session still leads to Bob');
    } finally {
      await store.close();
    }
  });

  // PostgreSQL's writers run beside the deletion; SQLite's wait for its transaction to end.
  if (engine.name !== 'postgres') return;

  it('keeps an event a writer commits for the student while one of their sessions is erased', async () => {
    const database = await engine.createDatabase();
    const store = await database.openStore();
    try {
      await store.insertEvents([{ sessionToken: 'ws_t1', eventType: 'action', eventData: {}, studentEmail: 'ada@example.com' }]);
      const [student] = (await store.queryEvents({ sessionToken: 'ws_t1', dataFilters: [], order: 'asc', limit: 1 })).map((e) => e.student_email);
      const probe = new pg.Client({ connectionString: database.url });
      await probe.connect();
      const id = Number((await probe.query<{ id: string }>('SELECT student_id AS id FROM students WHERE email = $1', [student])).rows[0]?.id);
      const writer = await heldWrite(database.url, 'ws_t2', { from: 0, to: 1 }, { id, email: 'ada@example.com' });
      const erasing = store.erase({ kind: 'session', sessionToken: 'ws_t1' }, erasureAudit('ws_t1', 'token'));
      await new Promise((resolve) => setTimeout(resolve, 300));
      await writer.commit();
      const counts = await erasing;
      assert.equal(counts?.events, 1);
      assert.equal(counts?.students, 0, 'Ada has a session left');
      assert.equal(await count(probe, 'SELECT count(*) AS n FROM events WHERE session_token = $1', 'ws_t2'), 1, 'the acknowledged event is stored');
      assert.equal(await count(probe, 'SELECT count(*) AS n FROM sessions WHERE session_token = $1', 'ws_t2'), 1);
      await writer.client.end();
      await probe.end();
    } finally {
      await store.close();
    }
  });

  it('keeps the activity and link of a session that comes back while old rows are pruned', async () => {
    const database = await engine.createDatabase();
    const store = await database.openStore();
    try {
      await store.insertEvents([{ sessionToken: 'ws_back', eventType: 'navigation', eventData: { from: 0, to: 1 }, studentEmail: 'ada@example.com' }]);
      const probe = new pg.Client({ connectionString: database.url });
      await probe.connect();
      await probe.query(`UPDATE session_activity SET first_seen = now() - interval '100 days', last_seen = now() - interval '100 days', on_step_since = now() - interval '100 days'`);
      await probe.query('DELETE FROM events');
      const writer = await heldWrite(database.url, 'ws_back', { from: 1, to: 2 });
      const pruning = store.pruneBatch(new Date(Date.now() - 90 * 86_400_000), 2000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await writer.commit();
      await pruning;
      assert.equal(await count(probe, 'SELECT count(*) AS n FROM events WHERE session_token = $1', 'ws_back'), 1);
      assert.equal(await count(probe, 'SELECT count(*) AS n FROM session_activity WHERE session_token = $1', 'ws_back'), 1, 'its activity, updated meanwhile, stays');
      assert.equal(await count(probe, 'SELECT count(*) AS n FROM sessions WHERE session_token = $1', 'ws_back'), 1, 'and so does its link');
      await writer.client.end();
      await probe.end();
    } finally {
      await store.close();
    }
  });
});
