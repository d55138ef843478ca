// The production setup as deploy/ documents it: nginx (its site, rendered by
// scripts/lib/nginx-proxy.ts) in front of two built instances sharing one PostgreSQL,
// checked through nginx as its users would: students' pages, instructors, their dashboard.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { findNginx, startNginx, type NginxProxy } from '../../scripts/lib/nginx-proxy.js';
import { cleanUpDatabases, ENGINES, type TestDatabase } from '../helpers/engines.js';
import { openSse, openWebSocket, receivedEvents } from '../helpers/live-clients.js';
import { postgresAvailable } from '../helpers/postgres.js';
import { ADMIN_TOKEN, type EventsPage } from '../helpers/test-app.js';
import { accessLogEntries, type AccessLogEntry } from './access-log.js';
import { startInstance, type ServiceInstance } from './service-instance.js';
import { holdSessionWrites } from './session-lock.js';

const EMAIL = 'ada@example.edu';

/** Why these tests cannot run here, or false. CI installs nginx and sets SESSION_LOG_REQUIRE_NGINX=1. */
function nginxMissing(): string | false {
  if (findNginx() !== undefined) return false;
  if (process.env.SESSION_LOG_REQUIRE_NGINX === '1') throw new Error('nginx is required (SESSION_LOG_REQUIRE_NGINX=1) but not installed');
  return 'nginx not installed (apt-get install nginx)';
}

const unavailable = (await postgresAvailable()) ? nginxMissing() : 'postgres unreachable';

/** A batch as the SDK sends it: each event with its own eventId, so a resend is stored once. */
function batch(sessionToken: string, first: number, count: number) {
  const events = Array.from({ length: count }, (_, i) => ({
    eventId: randomUUID(),
    sessionToken,
    studentEmail: EMAIL,
    eventType: 'action',
    eventData: { n: first + i },
  }));
  return { events };
}

function post(url: string, body: unknown): Promise<Response> {
  return fetch(`${url}/api/session-log`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

async function readSession(url: string, sessionToken: string, headers: Record<string, string> = { authorization: `Bearer ${ADMIN_TOKEN}` }) {
  const query = new URLSearchParams({ sessionToken, studentEmail: EMAIL, order: 'asc', limit: '1000' });
  const response = await fetch(`${url}/api/session-log?${query.toString()}`, { headers });
  assert.equal(response.status, 200, await response.clone().text());
  return ((await response.json()) as EventsPage).events.map((event) => event.event_data.n as number);
}

const instanceEnv = (databaseUrl: string, extra: Record<string, string> = {}) => ({
  DATABASE_URL: databaseUrl,
  SESSION_LOG_ADMIN_TOKEN: ADMIN_TOKEN,
  TRUST_PROXY: '127.0.0.1',
  ...extra,
});

await describe('nginx in front of two instances, as deploy/ configures it', { skip: unavailable }, () => {
  let a: ServiceInstance | undefined;
  let b: ServiceInstance | undefined;
  let proxy: NginxProxy | undefined;
  let database: TestDatabase | undefined;
  let logDir = '';
  const accessLog = () => path.join(logDir, 'access.log');
  // nginx's round-robin alternates: of two requests in a row, each instance answers one.
  const instances = () => new Set([a!.address, b!.address]);
  const logged = (method: string, pathname: string, count = 1) =>
    accessLogEntries(accessLog(), (entry) => entry.method === method && entry.path === pathname, count);

  before(async () => {
    logDir = mkdtempSync(path.join(os.tmpdir(), 'session-log-nginx-test-'));
    database = await ENGINES[1]!.createDatabase();
    [a, b] = await Promise.all([startInstance(instanceEnv(database.url)), startInstance(instanceEnv(database.url))]);
    proxy = await startNginx({ upstreams: [a.address, b.address], accessLog: accessLog() });
  });
  after(async () => {
    await proxy?.stop();
    await Promise.all([a?.stop(), b?.stop()]);
    if (logDir !== '') rmSync(logDir, { recursive: true, force: true });
  });
  after(cleanUpDatabases);

  it('takes batches on both instances and reads them back, and logs no query string', async () => {
    for (let first = 0; first < 20; first += 5) {
      const response = await post(proxy!.url, batch('ws_nginx', first, 5));
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { success: true, message: 'Event logged successfully', count: 5 });
    }
    assert.deepEqual(await readSession(proxy!.url, 'ws_nginx'), Array.from({ length: 20 }, (_, n) => n));
    const posts = await logged('POST', '/api/session-log', 4);
    assert.deepEqual(new Set(posts.map((entry) => entry.upstream)), instances(), 'nginx spreads the batches over both instances');
    await logged('GET', '/api/session-log');
    const log = readFileSync(accessLog(), 'utf8');
    for (const secret of [EMAIL, 'ws_nginx', 'studentEmail']) assert.ok(!log.includes(secret), `the access log holds no "${secret}"`);
  });

  it('serves the dashboard and its scripts', async () => {
    const page = await fetch(`${proxy!.url}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    const script = /<script[^>]+src="(\/assets\/[^"]+\.js)"/.exec(await page.text())?.[1];
    assert.ok(script !== undefined, 'the page loads a script from /assets/');
    const asset = await fetch(`${proxy!.url}${script}`);
    assert.equal(asset.status, 200);
    assert.match(asset.headers.get('content-type') ?? '', /javascript/);
  });

  it('signs an instructor in with a cookie both instances accept, never Secure over plain HTTP whatever the client claims', async () => {
    const signIn = await fetch(`${proxy!.url}/api/auth/session`, {
      method: 'POST',
      // nginx overwrites it with the scheme the client really used.
      headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
      body: JSON.stringify({ token: ADMIN_TOKEN }),
    });
    assert.equal(signIn.status, 200);
    const setCookie = signIn.headers.get('set-cookie') ?? '';
    assert.match(setCookie, /HttpOnly/i);
    assert.doesNotMatch(setCookie, /;\s*Secure/i);
    const cookie = { cookie: setCookie.split(';')[0]! };
    for (let i = 0; i < 2; i += 1) assert.equal((await fetch(`${proxy!.url}/api/auth/session`, { headers: cookie })).status, 200);
    const checks = await logged('GET', '/api/auth/session', 2);
    assert.deepEqual(new Set(checks.map((entry) => entry.upstream)), instances(), 'each instance accepted the cookie');
    assert.deepEqual(await readSession(proxy!.url, 'ws_nginx', cookie), Array.from({ length: 20 }, (_, n) => n));
  });

  it('streams an event to an open Server-Sent Events stream as soon as it is stored', async () => {
    const stream = await openSse(proxy!.url, 'sessionToken=ws_live');
    try {
      await stream.waitFor((message) => message.type === 'ready');
      assert.equal((await post(proxy!.url, batch('ws_live', 7, 1))).status, 200);
      await stream.waitFor((message) => message.type === 'event', 1, 30_000);
      assert.deepEqual(receivedEvents(stream).map((event) => event.event_data.n), [7]);
    } finally {
      stream.close();
    }
  });

  it("streams over a WebSocket opened from the dashboard's own origin", async () => {
    const { client, send } = await openWebSocket(proxy!.url, { authorization: `Bearer ${ADMIN_TOKEN}`, origin: proxy!.url });
    try {
      send({ type: 'subscribe', filters: { sessionToken: 'ws_socket' } });
      await client.waitFor((message) => message.type === 'ready');
      assert.equal((await post(proxy!.url, batch('ws_socket', 3, 1))).status, 200);
      await client.waitFor((message) => message.type === 'event', 1, 30_000);
      assert.deepEqual(receivedEvents(client).map((event) => event.event_data.n), [3]);
    } finally {
      client.close();
    }
  });

  it('acknowledges every batch when an instance is killed holding one, retrying it on the other, each event stored once', async () => {
    const held = await holdSessionWrites(database!.url, 'ws_killed');
    // Round-robin: one batch to each instance, both waiting for the lock held here.
    const inFlight = [post(proxy!.url, batch('ws_killed', 0, 3)), post(proxy!.url, batch('ws_killed', 3, 3))];
    try {
      await held.untilWaiting(2);
      await a!.kill();
    } finally {
      await held.release();
    }
    for (const response of await Promise.all(inFlight)) assert.equal(response.status, 200);
    for (let first = 6; first < 18; first += 3) assert.equal((await post(proxy!.url, batch('ws_killed', first, 3))).status, 200);
    const stored = await readSession(proxy!.url, 'ws_killed');
    // The two held batches were stored in either order; each event once.
    assert.deepEqual(stored.sort((x, y) => x - y), Array.from({ length: 18 }, (_, n) => n));
    const retried = (entry: AccessLogEntry) => entry.method === 'POST' && entry.upstream === `${a!.address}, ${b!.address}`;
    const [entry] = await accessLogEntries(accessLog(), retried);
    assert.equal(entry?.status, 200, 'what the dead instance did not answer, the other did');
  });
});

/** POST from a given loopback address: another client as nginx sees it. */
function postFrom(localAddress: string, url: string, body: unknown): Promise<{ status: number; retryAfter: string | undefined }> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${url}/api/session-log`, { method: 'POST', localAddress, agent: false, headers: { 'content-type': 'application/json' } }, (response) => {
      response.resume();
      response.once('end', () => resolve({ status: response.statusCode ?? 0, retryAfter: response.headers['retry-after'] }));
    });
    request.once('error', reject);
    request.end(JSON.stringify(body));
  });
}

await describe("the client's own address reaches the service through nginx", { skip: unavailable }, () => {
  const LIMIT = 5;
  let instance: ServiceInstance | undefined;
  let proxy: NginxProxy | undefined;
  before(async () => {
    const database = await ENGINES[1]!.createDatabase();
    instance = await startInstance(instanceEnv(database.url, { RATE_LIMIT_INGEST_PER_IP: String(LIMIT) }));
    proxy = await startNginx({ upstreams: [instance.address] });
  });
  after(async () => {
    await proxy?.stop();
    await instance?.stop();
  });
  after(cleanUpDatabases);

  it('limits one client by its address and not the next one, all of them coming from nginx', async () => {
    const statuses: number[] = [];
    let refused: { status: number; retryAfter: string | undefined } | undefined;
    // The limit and as many again: its minute may turn over once while it is used up.
    for (let n = 0; n <= 2 * LIMIT && refused === undefined; n += 1) {
      const answer = await postFrom('127.0.0.5', proxy!.url, batch('ws_rate_5', n, 1));
      statuses.push(answer.status);
      if (answer.status === 429) refused = answer;
    }
    assert.deepEqual(statuses.slice(0, LIMIT), Array<number>(LIMIT).fill(200));
    assert.ok(refused !== undefined, `127.0.0.5 was never refused: ${JSON.stringify(statuses)}`);
    assert.match(refused.retryAfter ?? '', /^[1-9]\d*$/, 'a 429 says when to retry');
    assert.equal((await postFrom('127.0.0.6', proxy!.url, batch('ws_rate_6', 0, 1))).status, 200, 'another address keeps its allowance');
  });
});
