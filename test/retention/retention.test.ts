// Retention on both engines: exactly the events older than RETENTION_DAYS go, with what
// was derived from them, in batches while ingest goes on; one instance cleans at a time.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { EventStore } from '../../src/storage/types.js';
import { describeEachEngine } from '../helpers/each-engine.js';
import { insertAt, type PastEvent } from '../helpers/insert-at.js';
import { rowsAbout } from '../helpers/table-counts.js';
import { ADMIN_TOKEN, readPage, startApp, type RunningApp } from '../helpers/test-app.js';

const DAY = 86_400_000;
const daysAgo = (days: number, minutes = 0) => new Date(Date.now() - days * DAY + minutes * 60_000);

/** A session's navigations through four steps and an error, `days` ago. */
function session(token: string, days: number): PastEvent[] {
  return [0, 1, 2, 3].flatMap((step) => [
    { sessionToken: token, eventType: 'navigation', eventData: { from: step - 1, to: step }, at: daysAgo(days, step * 10) },
    { sessionToken: token, eventType: 'error', eventData: { errorType: 'e', errorMessage: `failed ${step}`, currentStep: step }, at: daysAgo(days, step * 10 + 1) },
  ]);
}

const runRetention = async (app: RunningApp, dryRun: boolean) => {
  const response = await fetch(`${app.url}/api/retention/run`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ dryRun }),
  });
  return { status: response.status, body: (await response.json()) as { retentionDays: number; cutoff: string | null; events: number; dryRun: boolean } };
};

await describeEachEngine('retention', (engine) => {
  let app: RunningApp;
  let url: string;
  let store: EventStore;
  const old = Array.from({ length: 30 }, (_, i) => `ws_old${i}`);

  before(async () => {
    const database = await engine.createDatabase();
    url = database.url;
    store = await database.openStore();
    await insertAt(url, [...old.flatMap((token) => session(token, 120)), ...session('ws_recent', 10), ...session('ws_edge', 89)]);
    app = await startApp(database, { store, retention: { days: 90, batchSize: 25, pauseMs: 1, firstPassAfterMs: 3_600_000 } });
  });
  after(() => app.close());

  it('counts what it would remove on a dry run, and removes nothing', async () => {
    const { status, body } = await runRetention(app, true);
    assert.equal(status, 200);
    assert.deepEqual({ ...body, cutoff: typeof body.cutoff }, { success: true, retentionDays: 90, cutoff: 'string', dryRun: true, events: old.length * 8 });
    assert.equal((await rowsAbout(url, old, [])).events, old.length * 8);
  });

  it('removes exactly the old events and what was derived from them, while ingest goes on', async () => {
    const posting = (async () => {
      let sent = 0;
      for (let i = 0; i < 40; i += 1) {
        const response = await app.post({ sessionToken: 'ws_live', eventType: 'navigation', eventData: { from: i, to: i + 1 } });
        assert.equal(response.status, 200);
        sent += 1;
      }
      return sent;
    })();
    const [{ status, body }, sent] = await Promise.all([runRetention(app, false), posting]);
    assert.equal(status, 200);
    assert.equal(body.events, old.length * 8);
    assert.deepEqual(await rowsAbout(url, old, []), { events: 0, event_problems: 0, step_stays: 0, session_activity: 0, sessions: 0, students: 0, alerts: 0, alert_claims: 0, webhook_deliveries: 0 });
    const kept = await rowsAbout(url, ['ws_recent', 'ws_edge'], []);
    assert.equal(kept.events, 16, 'the 10- and 89-day-old sessions stay whole');
    assert.equal(kept.event_problems, 8);
    assert.equal(kept.step_stays, 6);
    assert.equal((await readPage(await app.get('sessionToken=ws_live&limit=1000'))).count, sent, 'every event posted meanwhile is stored');
    const again = await runRetention(app, false);
    assert.equal(again.body.events, 0);
  });

  it('lets one instance clean at a time', async () => {
    const soon = new Date(Date.now() + 60_000);
    assert.equal(await store.takeLease('test-job', 'instance-a', soon), true);
    assert.equal(await store.takeLease('test-job', 'instance-b', soon), false, 'taken');
    assert.equal(await store.takeLease('test-job', 'instance-a', soon), true, 'renewed by its holder');
    assert.equal(await store.takeLease('test-job', 'instance-a', new Date(0)), true, 'given up');
    assert.equal(await store.takeLease('test-job', 'instance-b', soon), true);
  });

  it('refuses a body that is not the documented one', async () => {
    const response = await fetch(`${app.url}/api/retention/run`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ dryRun: 'yes' }),
    });
    assert.equal(response.status, 400);
    assert.equal((await fetch(`${app.url}/api/retention/run`, { method: 'POST' })).status, 401);
    const bare = await fetch(`${app.url}/api/retention/run`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    assert.equal(bare.status, 200, 'a POST with no body runs with the defaults');
  });
});

await describeEachEngine('retention on its own schedule', (engine) => {
  it('cleans with no call once the service is up, and never with RETENTION_DAYS=0', async () => {
    const database = await engine.createDatabase();
    const store = await database.openStore();
    await insertAt(database.url, session('ws_ancient', 400));
    const keeping = await startApp(database, { store, retention: { days: 0, firstPassAfterMs: 10, intervalMs: 20 } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal((await rowsAbout(database.url, ['ws_ancient'], [])).events, 8);
    assert.deepEqual((await runRetention(keeping, false)).body, { success: true, retentionDays: 0, cutoff: null, dryRun: false, events: 0 });
    await keeping.close();

    const cleaning = await startApp(database, { retention: { days: 365, firstPassAfterMs: 10, intervalMs: 60_000 } });
    while ((await rowsAbout(database.url, ['ws_ancient'], [])).events > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    await cleaning.close();
  });
});
