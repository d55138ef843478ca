// Live streams across instances sharing one PostgreSQL: delivery from the other instance,
// a write that commits after a later id, and the database going away and coming back.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { cleanUpDatabases, ENGINES, type TestDatabase } from '../helpers/engines.js';
import { openSse, openWebSocket, receivedEvents } from '../helpers/live-clients.js';
import { postgresAvailable } from '../helpers/postgres.js';
import { startApp, startAppBehindProxy, type RunningApp } from '../helpers/test-app.js';
import type { TcpProxy } from '../helpers/tcp-proxy.js';

const SESSION_LOCK_CLASS = 1582665749;

await describe('live streams across PostgreSQL instances', { skip: (await postgresAvailable()) ? false : 'postgres unreachable' }, () => {
  let database: TestDatabase;
  let a: RunningApp;
  let b: RunningApp;
  let proxied: { app: RunningApp; proxy: TcpProxy };
  before(async () => {
    database = await ENGINES[1]!.createDatabase();
    a = await startApp(database);
    b = await startApp(database);
    proxied = await startAppBehindProxy(database);
  });
  after(async () => {
    await a.close();
    await b.close();
    await proxied.app.close();
    await proxied.proxy.stop();
  });
  after(cleanUpDatabases);

  const post = async (app: RunningApp, sessionToken: string, n: number) =>
    assert.equal((await app.post({ sessionToken, eventType: 'action', eventData: { n } })).status, 200);

  it('delivers to subscribers of every instance what any instance stored', async () => {
    const onA = await openSse(a.url, 'sessionToken=ws_cross');
    const { client: onB, send } = await openWebSocket(b.url);
    send({ type: 'subscribe', filters: { sessionToken: 'ws_cross' } });
    await onA.waitFor((m) => m.type === 'ready');
    await onB.waitFor((m) => m.type === 'ready');
    for (let n = 0; n < 10; n += 1) await post(n % 2 === 0 ? a : b, 'ws_cross', n);
    for (const client of [onA, onB]) {
      await client.waitFor((m) => m.type === 'event', 10);
      client.close();
      assert.deepEqual(receivedEvents(client).map((e) => e.event_data.n), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }
  });

  it('never skips an id that commits after a later one', async () => {
    const stream = await openSse(a.url, 'eventType=action&data.race=true');
    await stream.waitFor((m) => m.type === 'ready');
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      // The late write takes its id, then waits on its session's lock, held here.
      await admin.query('BEGIN');
      await admin.query(`SELECT pg_advisory_xact_lock($1, hashtext('ws_late'))`, [SESSION_LOCK_CLASS]);
      const late = a.post({ sessionToken: 'ws_late', eventType: 'action', eventData: { race: true, n: 'late' } });
      while ((await admin.query("SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")).rowCount === 0) await sleep(10);
      assert.equal((await b.post({ sessionToken: 'ws_early', eventType: 'action', eventData: { race: true, n: 'early' } })).status, 200);
      await sleep(500);
      assert.deepEqual(receivedEvents(stream), [], 'nothing is sent past a write still in progress');
      await admin.query('COMMIT');
      assert.equal((await late).status, 200);
    } finally {
      await admin.end();
    }
    await stream.waitFor((m) => m.type === 'event', 2);
    stream.close();
    const events = receivedEvents(stream);
    assert.deepEqual(events.map((e) => e.event_data.n), ['late', 'early']);
    assert.ok(events[0]!.event_id < events[1]!.event_id);
  });

  it('keeps a stream open through the database going away, and sends what was stored meanwhile', async () => {
    const { app, proxy } = proxied;
    const stream = await openSse(app.url, 'sessionToken=ws_outage');
    await stream.waitFor((m) => m.type === 'ready');
    await post(b, 'ws_outage', 0);
    await stream.waitFor((m) => m.type === 'event', 1);
    await proxy.stop();
    for (let n = 1; n <= 5; n += 1) await post(b, 'ws_outage', n);
    await sleep(1500);
    await proxy.restore();
    for (let n = 6; n <= 8; n += 1) await post(b, 'ws_outage', n);
    await stream.waitFor((m) => m.type === 'event', 9, 20_000);
    await sleep(300);
    stream.close();
    assert.deepEqual(receivedEvents(stream).map((e) => e.event_data.n), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });
});
