// What the writers derive from the events they store (session_activity, step_stays,
// event_problems): the same on both engines, and on PostgreSQL the same from migration
// 010's writer (the group as one JSON document) as from 009's (the group as arrays).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { problemFact } from '../../src/analytics/problem-facts.js';
import type { NewEvent } from '../../src/storage/types.js';
import { describeEachEngine } from '../helpers/each-engine.js';
import { sqliteEngine, type TestEngine } from '../helpers/engines.js';

const nav = (sessionToken: string, data: Record<string, unknown>, extra: Partial<NewEvent> = {}): NewEvent => ({ sessionToken, eventType: 'navigation', eventData: data, ...extra });
const of = (sessionToken: string, eventType: string, eventData: Record<string, unknown> = {}, extra: Partial<NewEvent> = {}): NewEvent => ({ sessionToken, eventType, eventData, ...extra });
const ID = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** Groups as the committer forms them: several sessions each, navigations among other events. */
const GROUPS: NewEvent[][] = [
  [nav('ws_a', { to: 0, toStepName: 'Welcome' }, { studentEmail: 'ada@example.com' }), nav('ws_b', { currentStep: 0, stepName: 'Welcome' }), of('ws_c', 'action', { n: 1 })],
  [
    nav('ws_a', { from: 0, to: 1, toStepName: 'Connect' }),
    nav('ws_a', { from: 1, to: 2, toStepName: 'Build' }),
    of('ws_b', 'error', { errorType: 'quota', errorMessage: 'Quota exceeded for key sk-abc123456789', currentStep: 0 }, { eventId: ID(1) }),
    of('ws_b', 'help_request', { message: 'stuck' }, { studentEmail: 'bob@example.com', studentName: 'Bob' }),
  ],
  // A reload (the same step again), a retry of a stored event, a duplicate within the group.
  [
    nav('ws_a', { from: 2, to: 2, toStepName: 'Build' }),
    of('ws_b', 'error', { errorType: 'quota', errorMessage: 'Quota exceeded for key sk-abc123456789', currentStep: 0 }, { eventId: ID(1) }),
    of('ws_c', 'api_call', { endpoint: '/v1/files/file_123456', method: 'post', status: 500, currentStep: '3' }, { eventId: ID(2) }),
    of('ws_c', 'api_call', { endpoint: '/v1/files/file_123456', method: 'post', status: 500, currentStep: '3' }, { eventId: ID(2) }),
    nav('ws_c', { to: 3, toStepName: 'Deploy' }, { studentEmail: 'cy@example.com' }),
  ],
  // Going back; a session's first navigation and its next in one group; steps as numbers and text.
  [
    nav('ws_a', { from: 2, to: 1 }),
    nav('ws_b', { from: 0, to: '1', toStepName: 'Connect' }),
    nav('ws_d', { to: 4.5 }),
    nav('ws_d', { to: 5, stepName: 'Last' }),
    of('ws_d', 'error', { message: 'Timed out after 30000 ms' }),
    of('ws_a', 'api_call', { endpoint: '/v1/models', method: 'GET', status: 200 }),
  ],
  [of('ws_a', 'help_request', {}), nav('ws_c', { to: 3 }), nav('ws_d', { to: 5 }), nav('ws_b', { to: null, currentStep: 2 })],
  [nav('ws_a', { to: 2, toStepName: 'Build' }), of('ws_b', 'action', {}), nav('ws_e', { to: 0 }, { studentEmail: 'ada@example.com' })],
];

interface Derived {
  activity: unknown[];
  stays: unknown[];
  problems: unknown[];
}

/** The derived rows, times left out (each engine's clock stamps them): ids, counts, steps, problems. */
const sorted = (rows: unknown[]) => rows.map((row) => JSON.stringify(row)).sort();

const ACTIVITY = `SELECT session_token, event_count, step, step_name, step_event_id, last_error_id, last_help_id FROM session_activity`;
const STAYS = `SELECT session_token, step, step_name, next_step FROM step_stays`;
const PROBLEMS = `SELECT event_id, session_token, kind, label, pattern, status, step, step_name FROM event_problems`;

/** Each derived time is the time of the events it derives from. */
const TIMES_MISMATCHED = [
  `SELECT session_token FROM session_activity sa WHERE first_seen <> (SELECT min(created_at) FROM events e WHERE e.session_token = sa.session_token)
     OR last_seen <> (SELECT max(created_at) FROM events e WHERE e.session_token = sa.session_token)
     OR on_step_since <> (SELECT created_at FROM events e WHERE e.event_id = sa.step_event_id)`,
  `SELECT session_token FROM step_stays ss WHERE seconds < 0 OR NOT EXISTS (
     SELECT 1 FROM events e WHERE e.session_token = ss.session_token AND e.event_type = 'navigation' AND e.created_at = ss.arrived_at)`,
];

function readSqlite(url: string): { derived: Derived; mismatched: unknown[] } {
  const db = new BetterSqlite3(url.slice('sqlite:'.length), { readonly: true });
  try {
    const all = (query: string) => db.prepare(query).all();
    return { derived: { activity: sorted(all(ACTIVITY)), stays: sorted(all(STAYS)), problems: sorted(all(PROBLEMS)) }, mismatched: TIMES_MISMATCHED.flatMap(all) };
  } finally {
    db.close();
  }
}

async function readPostgres(url: string): Promise<{ derived: Derived; mismatched: unknown[] }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const all = async (query: string) => (await client.query(query)).rows.map((row: Record<string, unknown>) => numbered(row));
    const mismatched = (await Promise.all(TIMES_MISMATCHED.map(all))).flat();
    return { derived: { activity: sorted(await all(ACTIVITY)), stays: sorted(await all(STAYS)), problems: sorted(await all(PROBLEMS)) }, mismatched };
  } finally {
    await client.end();
  }
}

/** pg returns bigints as strings, SQLite as numbers. */
const numbered = (row: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(row).map(([key, value]) => [key, typeof value === 'string' && /(_id|_count)$/.test(key) ? Number(value) : value]));

/** The groups through 009's function, as a writer of the previous version calls it. */
async function writeThrough009(url: string, groups: NewEvent[][]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const group of groups) {
      const students = new Map(group.filter((e) => e.studentEmail !== undefined).map((e) => [e.studentEmail, e.studentName ?? null]));
      await client.query(
        `SELECT * FROM session_log_insert_events($1::text[], $2::text[], $3::jsonb[], $4::text[], $5::uuid[], $6::integer[],
           $7::text[], $8::text[], '{}'::bigint[], '{}'::text[], $9::jsonb[])`,
        [
          group.map((e) => e.sessionToken),
          group.map((e) => e.eventType),
          group.map((e) => JSON.stringify(e.eventData)),
          group.map((e) => e.studentEmail ?? null),
          group.map((e) => e.eventId ?? null),
          group.map((e) => e.seq ?? null),
          [...students.keys()],
          [...students.values()],
          group.map((e) => {
            const fact = problemFact(e.eventType, e.eventData);
            return fact === null ? null : JSON.stringify(fact);
          }),
        ],
      );
    }
  } finally {
    await client.end();
  }
}

/** The groups through the engine's store, and what its writer derived from them. */
async function writeThroughStore(engine: TestEngine): Promise<{ derived: Derived; mismatched: unknown[] }> {
  const database = await engine.createDatabase();
  const store = await database.openStore();
  try {
    for (const group of GROUPS) await store.insertEvents(group);
  } finally {
    await store.close();
  }
  return engine.name === 'sqlite' ? readSqlite(database.url) : readPostgres(database.url);
}

await describeEachEngine('session activity, stays and problems as the writers keep them', (engine) => {
  it('derives times from the events they come from', async () => {
    const result = await writeThroughStore(engine);
    assert.deepEqual(result.mismatched, []);
    assert.equal(result.derived.activity.length, 5);
    assert.equal(result.derived.problems.length, 3);
  });

  if (engine.name !== 'postgres') return;

  it('derives the same rows as SQLite’s writer', async () => {
    const [postgres, sqlite] = await Promise.all([writeThroughStore(engine), writeThroughStore(sqliteEngine)]);
    assert.deepEqual(postgres.derived, sqlite.derived);
  });

  it('derives the same rows through 009’s function as through 010’s', async () => {
    const database = await engine.createDatabase();
    await writeThrough009(database.url, GROUPS);
    const [through009, through010] = await Promise.all([readPostgres(database.url), writeThroughStore(engine)]);
    assert.deepEqual(through009.mismatched, []);
    assert.deepEqual(through009.derived, through010.derived);
  });
});
