// Migration 009 on a database that already holds a class's errors and stays: every error
// and failed call gets its group, every stay where it was left for.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import type { EventStore } from '../../src/storage/types.js';
import { describeEachEngine } from '../helpers/each-engine.js';
import { openAtMigration } from '../helpers/older-schema.js';

/** More errors than one INSERT of SQLite may bind (32,766 values: 3,640 rows of 9). */
const ERRORS = 4000;
const START = Date.parse('2026-03-02T09:00:00.000Z');

await describeEachEngine('migration 009 on an existing class', (engine) => {
  let store: EventStore;

  before(async () => {
    const database = await engine.createDatabase({ empty: true });
    const postgres = engine.name === 'postgres';
    const db = await openAtMigration(database.url, '008_alerts');
    const at = (i: number) => new Date(START + i * 1000).toISOString();
    const rows = Array.from({ length: ERRORS }, (_, i) => [
      `ws_${i % 40}`,
      'error',
      JSON.stringify({ errorType: 'twilio_function_deploy_failed', errorMessage: `Twilio account AC${i.toString(16).padStart(32, '0')} not authorized`, currentStep: 2 }),
      at(i),
    ]);
    rows.push(['ws_0', 'api_call', JSON.stringify({ endpoint: '/v1/users/42/keys', method: 'POST', status: 401, success: false }), at(ERRORS)]);
    for (const [step, second] of [[0, 1], [1, 2], [0, 3]] as const) rows.push(['ws_nav', 'navigation', JSON.stringify({ to: step }), at(ERRORS + second)]);
    for (let start = 0; start < rows.length; start += 500) {
      const values = rows.slice(start, start + 500).map(([token, type, data, time]) => sql`(${token}, ${type}, ${postgres ? sql`${data}::jsonb` : data}, ${postgres ? sql`${time}::timestamptz` : time})`);
      await sql`INSERT INTO events (session_token, event_type, event_data, created_at) VALUES ${sql.join(values)}`.execute(db);
    }
    if (!postgres) {
      // What SQLite's writer kept of ws_nav before 009 (PostgreSQL's trigger keeps it as the rows go in).
      await sql`INSERT INTO step_stays (session_token, step, step_name, arrived_at, seconds) VALUES
        ('ws_nav', '0', NULL, ${at(ERRORS + 1)}, 1), ('ws_nav', '1', NULL, ${at(ERRORS + 2)}, 1)`.execute(db);
      await sql`INSERT INTO session_activity (session_token, first_seen, last_seen, event_count, step, on_step_since, step_event_id)
        SELECT 'ws_nav', ${at(ERRORS + 1)}, ${at(ERRORS + 3)}, 3, '0', ${at(ERRORS + 3)}, max(event_id) FROM events WHERE session_token = 'ws_nav'`.execute(db);
    }
    await db.destroy();
    store = await database.openStore();
  });
  after(() => store.close());

  it('groups every error stored before it, and every failed call', async () => {
    const window = { since: new Date(START), until: new Date(START + 2 * 3600_000), dataFilters: [], limit: 50, buckets: 24 };
    const errors = await store.readProblems({ ...window, kind: 'error' });
    assert.equal(errors.total, ERRORS);
    assert.deepEqual(errors.groups.map((g) => [g.label, g.pattern, g.count, g.students]), [['twilio_function_deploy_failed', 'Twilio account <key> not authorized', ERRORS, 40]]);
    const calls = await store.readProblems({ ...window, kind: 'api_call' });
    assert.deepEqual(calls.groups.map((g) => [g.label, g.pattern, g.status, g.count]), [['POST', '/v1/users/<id>/keys', 401, 1]]);
  });

  it('records where each stay was left for, so going back counts', async () => {
    const funnel = await store.readFunnel({ since: new Date(START), until: new Date(START + 2 * 3600_000), dataFilters: [], idleBefore: new Date() });
    assert.deepEqual(funnel.steps.map((s) => [s.step, s.reached, s.wentBack]), [['0', 1, 0], ['1', 1, 1]]);
  });
});
