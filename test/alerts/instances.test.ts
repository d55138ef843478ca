// Two instances on one PostgreSQL, both evaluating every rule: one alert per problem, seen
// by the dashboards of both.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { Alert } from '../../src/alerts/alert-schemas.js';
import { alertsApi } from '../helpers/alerts-api.js';
import { cleanUpDatabases, ENGINES, type TestDatabase } from '../helpers/engines.js';
import { insertAt } from '../helpers/insert-at.js';
import { postgresAvailable } from '../helpers/postgres.js';
import { ADMIN_TOKEN, startApp, type RunningApp } from '../helpers/test-app.js';

const FAST = { alerts: { stuckCheckMs: 100, rulesRefreshMs: 100, classWideCheckMs: 50 } };

/** Collects the alerts an instance's alert stream sends. */
async function alertStream(app: RunningApp): Promise<{ alerts: Alert[]; close: () => Promise<void> }> {
  const response = await fetch(`${app.url}/api/alerts/stream`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const alerts: Alert[] = [];
  let buffer = '';
  let ready: () => void = () => {};
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  void (async () => {
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read().catch(() => ({ done: true as const, value: undefined }))) {
      buffer += chunk.value;
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (/^event: ready$/m.test(block)) ready();
        const data = /^event: alert\ndata: (.*)$/m.exec(block)?.[1];
        if (data !== undefined) alerts.push(JSON.parse(data) as Alert);
      }
    }
  })();
  const timedOut = sleep(10_000, undefined, { ref: false }).then(() => Promise.reject(new Error('the alert stream never said ready')));
  await Promise.race([isReady, timedOut]);
  timedOut.catch(() => undefined);
  return { alerts, close: () => reader.cancel() };
}

await describe('alerts across PostgreSQL instances', { skip: (await postgresAvailable()) ? false : 'postgres unreachable' }, () => {
  let database: TestDatabase;
  let a: RunningApp;
  let b: RunningApp;
  before(async () => {
    database = await ENGINES[1]!.createDatabase();
    a = await startApp(database, FAST);
    b = await startApp(database, FAST);
  });
  after(async () => {
    await a.close();
    await b.close();
  });
  after(cleanUpDatabases);

  it('fires one alert per problem with both instances evaluating, and both dashboards hear of it', async () => {
    const streams = [await alertStream(a), await alertStream(b)];
    await alertsApi(a).createRule({ name: 'any error', kind: 'match', filters: { eventType: 'error' }, cooldownMinutes: 0 });
    await sleep(500);
    for (let n = 0; n < 10; n += 1) {
      assert.equal((await (n % 2 === 0 ? a : b).post({ sessionToken: `ws_both_${n}`, eventType: 'error', eventData: { n } })).status, 200);
    }
    const api = alertsApi(b);
    await api.waitForAlerts((alerts) => alerts.length >= 10);
    await sleep(1000);
    const alerts = await api.alerts();
    assert.deepEqual(alerts.map((alert) => (alert.event?.event_data as { n?: number } | undefined)?.n).sort((x, y) => Number(x) - Number(y)), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const stream of streams) {
      await stream.close();
      assert.deepEqual(new Set(stream.alerts.map((alert) => alert.alertId)), new Set(alerts.map((alert) => alert.alertId)));
    }
  });

  it('fires one stuck alert for a stuck student, whichever instance checks first', async () => {
    const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
    const nav = (sessionToken: string, to: number, m: number) => ({ sessionToken, eventType: 'navigation', eventData: { from: to - 1, to }, at: minutesAgo(m) });
    await insertAt(database.url, [...['ws_p1', 'ws_p2', 'ws_p3'].flatMap((token) => [nav(token, 2, 40), nav(token, 3, 36)]), nav('ws_lost', 2, 30), { sessionToken: 'ws_lost', eventType: 'action', eventData: {}, at: minutesAgo(1) }]);
    await alertsApi(b).createRule({ name: 'stuck', kind: 'stuck', statuses: ['stuck'] });
    const api = alertsApi(a);
    await api.waitForAlerts((alerts) => alerts.some((alert) => alert.ruleName === 'stuck'));
    await sleep(1000);
    assert.equal((await api.alerts()).filter((alert) => alert.ruleName === 'stuck').length, 1);
  });
});
