// Reads need the instructor token; writes are public; only writes are open cross-origin.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cleanUpDatabases, ENGINES } from '../helpers/engines.js';
import { ADMIN_TOKEN, startApp, type RunningApp } from '../helpers/test-app.js';

const [sqlite] = ENGINES;
const event = { sessionToken: 'ws_auth', eventType: 'action', eventData: {} };

await describe('instructor credentials', () => {
  let app: RunningApp;
  before(async () => {
    app = await startApp(await sqlite!.createDatabase());
  });
  after(() => app.close());
  after(cleanUpDatabases);

  for (const [what, authorization] of [
    ['no credentials', undefined],
    ['a wrong token', 'Bearer not-the-instructor-token'],
    ['a token prefix', `Bearer ${ADMIN_TOKEN.slice(0, -1)}`],
    ['the token with a suffix', `Bearer ${ADMIN_TOKEN}x`],
    ['basic auth', `Basic ${Buffer.from(`x:${ADMIN_TOKEN}`).toString('base64')}`],
  ] as const) {
    it(`refuses a read with ${what}`, async () => {
      const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
      const response = await fetch(`${app.url}/api/session-log?sessionToken=ws_auth`, { headers });
      assert.equal(response.status, 401);
      assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer/);
      const body = (await response.json()) as { success: boolean; error: { code: string } };
      assert.deepEqual([body.success, body.error.code], [false, 'unauthorized']);
    });
  }

  it('accepts the token with any case of "Bearer"', async () => {
    const response = await app.get('', { authorization: `bearer ${ADMIN_TOKEN}` });
    assert.equal(response.status, 200);
  });

  it('asks for credentials before it looks at the query', async () => {
    assert.equal((await fetch(`${app.url}/api/session-log?bogus=1`)).status, 401);
    assert.equal((await fetch(`${app.url}/api/sessions?activeWithin=forever`)).status, 401);
    assert.equal((await app.get('bogus=1')).status, 400);
  });

  it('keeps what instructors read out of caches', async () => {
    for (const response of [await app.get(''), await fetch(`${app.url}/api/sessions`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })]) {
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    }
  });

  it('takes events without credentials', async () => {
    assert.equal((await app.post(event)).status, 200);
  });
});

await describe('CORS', () => {
  let open: RunningApp;
  let restricted: RunningApp;
  before(async () => {
    open = await startApp(await sqlite!.createDatabase());
    restricted = await startApp(await sqlite!.createDatabase(), { corsOrigins: ['https://workshop.example.com'] });
  });
  after(async () => {
    await open.close();
    await restricted.close();
  });
  after(cleanUpDatabases);

  const preflight = (app: RunningApp, origin: string, method: string) =>
    fetch(`${app.url}/api/session-log`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'content-type' },
    });

  it('lets any origin post events by default', async () => {
    const response = await open.post(event, { origin: 'https://any.example.org' });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    // So that the SDK on that origin can read how long a busy service asks it to wait.
    assert.equal(response.headers.get('access-control-expose-headers'), 'Retry-After');
    const check = await preflight(open, 'https://any.example.org', 'POST');
    assert.equal(check.status, 204);
    assert.match(check.headers.get('access-control-allow-methods') ?? '', /POST/);
  });

  it('never lets another origin read events', async () => {
    const read = await open.get('', { origin: 'https://any.example.org' });
    assert.equal(read.status, 200);
    assert.equal(read.headers.get('access-control-allow-origin'), null);
    const check = await preflight(open, 'https://any.example.org', 'GET');
    assert.equal(check.headers.get('access-control-allow-origin'), null);
  });

  it('honours the allow-list', async () => {
    const allowed = await restricted.post(event, { origin: 'https://workshop.example.com' });
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://workshop.example.com');
    const other = await restricted.post(event, { origin: 'https://evil.example.net' });
    assert.equal(other.headers.get('access-control-allow-origin'), null);
  });
});
