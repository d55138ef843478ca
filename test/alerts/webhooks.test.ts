// Webhook delivery against a real receiver on loopback: down, then back, gets each alert once.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, it } from 'node:test';
import { alertsApi } from '../helpers/alerts-api.js';
import { describeEachEngine } from '../helpers/each-engine.js';
import { ADMIN_TOKEN, startApp, type RunningApp } from '../helpers/test-app.js';

interface Received {
  body: string;
  headers: http.IncomingHttpHeaders;
}

/** A port nothing listens on (yet). */
async function freePort(): Promise<number> {
  const server = http.createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

await describeEachEngine('alert webhooks', (engine) => {
  let app: RunningApp;
  let api: ReturnType<typeof alertsApi>;
  let receiver: http.Server | null = null;
  before(async () => {
    app = await startApp(await engine.createDatabase(), {
      alerts: { rulesRefreshMs: 100 },
      webhooks: { allowPrivate: true, retryBaseMs: 100, maxDelayMs: 400, timeoutMs: 2000, pollMs: 100 },
    });
    api = alertsApi(app);
  });
  after(async () => {
    receiver?.close();
    await app.close();
  });

  it('retries while the receiver is down and delivers each alert once when it is back, signed', async () => {
    const port = await freePort();
    const { rule, webhookSecret } = await api.createRule({
      name: 'deploys failing',
      kind: 'match',
      filters: { eventType: 'error' },
      cooldownMinutes: 0,
      webhookUrl: `http://127.0.0.1:${port}/slack`,
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const n of [1, 2]) {
      assert.equal((await app.post({ sessionToken: `ws_hook_${n}`, eventType: 'error', eventData: { errorType: 'deploy_failed', n } })).status, 200);
    }
    const waitForDeliveries = async (done: (d: Awaited<ReturnType<typeof api.deliveries>>) => boolean) => {
      for (;;) {
        const deliveries = await api.deliveries(`ruleId=${rule.ruleId}`);
        if (done(deliveries)) return deliveries;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const failing = await waitForDeliveries((d) => d.length === 2 && d.every((x) => x.attempts >= 2));
    assert.ok(failing.every((d) => d.status === 'pending' && d.lastError === 'connection refused' && d.nextAttemptAt !== null), JSON.stringify(failing));

    const received: Received[] = [];
    receiver = http.createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received.push({ body, headers: request.headers });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver!.listen(port, '127.0.0.1', resolve));
    const delivered = await waitForDeliveries((d) => d.every((x) => x.status === 'delivered'));
    await new Promise((resolve) => setTimeout(resolve, 500));

    assert.equal(received.length, 2, 'each alert once');
    assert.deepEqual(delivered.map((d) => [d.lastStatus, d.lastError, d.attempts >= 3]), [[204, null, true], [204, null, true]]);
    for (const { body, headers } of received) {
      const expected = `sha256=${createHmac('sha256', webhookSecret!).update(body).digest('hex')}`;
      assert.equal(headers['x-session-log-signature-256'], expected);
      assert.equal(headers['content-type'], 'application/json');
      const payload = JSON.parse(body) as { text: string; alert: { ruleName: string; event: { event_data: { n: number } } } };
      assert.match(payload.text, /^session-log alert \(deploys failing\): session ws_hook_\d: error deploy_failed/);
      assert.equal(payload.alert.ruleName, 'deploys failing');
    }
    assert.deepEqual(received.map((r) => (JSON.parse(r.body) as { alert: { event: { event_data: { n: number } } } }).alert.event.event_data.n).sort(), [1, 2]);
    assert.deepEqual(new Set(received.map((r) => r.headers['x-session-log-delivery'])).size, 2);

    // What an operator's dashboard shows of it: two alerts, their retries, two delivered.
    const metrics = await (await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).text();
    const sample = (name: string) => Number(new RegExp(`^${name.replace(/[{}]/g, '\\$&')} (\\d+)$`, 'm').exec(metrics)?.[1]);
    assert.equal(sample('session_log_alerts_fired_total'), 2);
    assert.equal(sample('session_log_alert_deliveries_total{outcome="delivered"}'), 2);
    assert.ok(sample('session_log_alert_deliveries_total{outcome="retrying"}') >= 4);
  });
});
