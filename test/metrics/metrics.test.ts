// GET /metrics: Prometheus text for the instructor token or the metrics token, with what
// an operator watches (events accepted and refused, commits, queue, live connections, pool).
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachEngine } from '../helpers/each-engine.js';
import { openSse, type LiveClient } from '../helpers/live-clients.js';
import { ADMIN_TOKEN, startApp, type RunningApp } from '../helpers/test-app.js';

const METRICS_TOKEN = 'metrics-only-token-0123456789';
const SECRET_TOKEN = 'ws_metrics_private_session';
const EMAIL = 'metrics.student@example.edu';

/** The samples of the exposition text, by name and labels as written: `name{a="b"}` → value. */
function samples(text: string): Map<string, number> {
  const lines = text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
  return new Map(lines.map((line) => [line.slice(0, line.lastIndexOf(' ')), Number(line.slice(line.lastIndexOf(' ') + 1))]));
}

await describeEachEngine('GET /metrics', (engine) => {
  let app: RunningApp;
  let stream: LiveClient;
  const scrape = async (authorization = `Bearer ${METRICS_TOKEN}`) => fetch(`${app.url}/metrics`, { headers: { authorization } });
  const read = async () => samples(await (await scrape()).text());

  before(async () => {
    app = await startApp(await engine.createDatabase(), { metricsToken: METRICS_TOKEN, rateLimits: { ingestPerSession: 2 } });
    stream = await openSse(app.url);
  });
  after(async () => {
    stream.close();
    await app.close();
  });

  it('needs the metrics token or the instructor token, and the metrics token reads nothing else', async () => {
    assert.equal((await fetch(`${app.url}/metrics`)).status, 401);
    assert.equal((await scrape('Bearer not-a-token')).status, 401);
    const withMetricsToken = await scrape();
    assert.equal(withMetricsToken.status, 200);
    assert.match(withMetricsToken.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    assert.equal((await scrape(`Bearer ${ADMIN_TOKEN}`)).status, 200);
    assert.equal((await app.get('', { authorization: `Bearer ${METRICS_TOKEN}` })).status, 401);
  });

  it('counts events accepted, and requests refused by reason', async () => {
    const before = await read();
    const event = { sessionToken: SECRET_TOKEN, studentEmail: EMAIL, eventType: 'action', eventData: {} };
    assert.equal((await app.post({ events: [event, event, event] })).status, 200);
    assert.equal((await app.post(event)).status, 200);
    assert.equal((await app.post({ sessionToken: SECRET_TOKEN, eventType: 'action' })).status, 400);
    assert.equal((await app.post(event)).status, 429);
    const now = await read();
    const grew = (name: string) => (now.get(name) ?? 0) - (before.get(name) ?? 0);
    assert.equal(grew('session_log_events_accepted_total'), 4);
    assert.equal(grew('session_log_ingest_refused_total{reason="invalid"}'), 1);
    assert.equal(grew('session_log_ingest_refused_total{reason="rate_limited"}'), 1);
    assert.equal(grew('session_log_rate_limited_total{limit="ingest_session"}'), 1);
    assert.ok(grew('session_log_commit_seconds_count{outcome="committed"}') >= 1);
    assert.ok(grew('session_log_commit_group_events_sum') === 4);
    assert.equal(now.get('session_log_ingest_queue_events'), 0);
    assert.ok((now.get('session_log_http_request_seconds_count{route="/api/session-log",method="POST",status="200"}') ?? 0) >= 2);
  });

  it('shows the live connections open', async () => {
    assert.equal((await read()).get('session_log_live_connections'), 1);
  });

  it(engine.name === 'postgres' ? "shows the database pool's use" : 'has no pool to show on SQLite', async () => {
    const pool = [...(await read()).keys()].filter((name) => name.startsWith('session_log_db_pool_connections'));
    if (engine.name === 'postgres') {
      assert.deepEqual(pool.sort(), ['open', 'idle', 'waiting', 'max'].map((state) => `session_log_db_pool_connections{state="${state}"}`).sort());
      assert.equal((await read()).get('session_log_db_pool_connections{state="max"}'), 10);
    } else {
      assert.deepEqual(pool, []);
    }
  });

  it('never names a session token or an email: routes are labelled by pattern', async () => {
    const erased = await fetch(`${app.url}/api/sessions/${SECRET_TOKEN}`, { method: 'DELETE', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    assert.equal(erased.status, 200);
    const text = await (await scrape()).text();
    assert.match(text, /route="\/api\/sessions\/:sessionToken"/);
    assert.doesNotMatch(text, new RegExp(`${SECRET_TOKEN}|${EMAIL}`));
  });
});
