// Rate limits on the public routes: per client address and per session on ingest, on
// wrong instructor credentials per address; 429 with Retry-After, nothing stored.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cleanUpDatabases, ENGINES } from '../helpers/engines.js';
import { ADMIN_TOKEN, startApp, type RunningApp } from '../helpers/test-app.js';

const [sqlite] = ENGINES;
/** The app trusts loopback as its proxy: each test names its client's address in X-Forwarded-For. */
const PROXY = '127.0.0.1';
const from = (address: string) => ({ 'x-forwarded-for': address });
const event = (sessionToken: string) => ({ sessionToken, eventType: 'action', eventData: { actionName: 'click' } });

interface ErrorBody {
  success: boolean;
  error: { code: string; message: string };
}

async function assertLimited(response: Response): Promise<void> {
  assert.equal(response.status, 429);
  const wait = Number(response.headers.get('retry-after'));
  assert.ok(Number.isInteger(wait) && wait >= 1 && wait <= 60, `Retry-After: ${response.headers.get('retry-after')}`);
  const body = (await response.json()) as ErrorBody;
  assert.deepEqual([body.success, body.error.code], [false, 'rate_limited']);
}

await describe('ingest rate limits', () => {
  let app: RunningApp;
  before(async () => {
    app = await startApp(await sqlite!.createDatabase(), { trustProxy: PROXY, rateLimits: { ingestPerAddress: 5, ingestPerSession: 3 } });
  });
  after(() => app.close());
  after(cleanUpDatabases);

  it('refuses an address past its limit with 429 and Retry-After, and stores nothing of it', async () => {
    for (let i = 0; i < 5; i++) assert.equal((await app.post(event(`ws_address_${i}`), from('203.0.113.5'))).status, 200);
    await assertLimited(await app.post(event('ws_address_over'), from('203.0.113.5')));
    const stored = (await (await app.get('sessionToken=ws_address_over')).json()) as { count: number };
    assert.equal(stored.count, 0);
  });

  it('keeps counting each address apart: the real client address comes from the trusted proxy', async () => {
    assert.equal((await app.post(event('ws_other_address'), from('203.0.113.6'))).status, 200);
  });

  it('refuses a session past its limit, whatever address it comes from, and not the others', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await app.post(event('ws_loop'), from(`198.51.100.${i}`))).status, 200);
    await assertLimited(await app.post({ events: [event('ws_loop'), event('ws_loop')] }, from('198.51.100.9')));
    assert.equal((await app.post(event('ws_calm'), from('198.51.100.9'))).status, 200);
  });
});

await describe('a class of 500 behind one school address, at the default limits', () => {
  let app: RunningApp;
  before(async () => {
    app = await startApp(await sqlite!.createDatabase(), { trustProxy: PROXY });
  });
  after(() => app.close());
  after(cleanUpDatabases);

  // A minute of the whole class at the SDK's most (30,000 requests) is the load test's
  // (npm run loadtest, 500 students, any 429 fails it); here, the burst of a step change.
  it('is never limited when every student sends several batches at once', async () => {
    const students = 500;
    const seconds = 4;
    const statuses = new Map<number, number>();
    let next = 0;
    const sender = async () => {
      for (let i = next++; i < students * seconds; i = next++) {
        const student = i % students;
        const response = await app.post({ events: [event(`ws_class_${student}`), event(`ws_class_${student}`)] }, from('192.0.2.77'));
        await response.arrayBuffer();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: 32 }, sender));
    assert.deepEqual([...statuses], [[200, students * seconds]]);
  });
});

await describe('wrong instructor credentials', () => {
  let app: RunningApp;
  before(async () => {
    app = await startApp(await sqlite!.createDatabase(), { trustProxy: PROXY, rateLimits: { failedSignIns: 3 } });
  });
  after(() => app.close());
  after(cleanUpDatabases);

  const signIn = (token: string, address: string) =>
    fetch(`${app.url}/api/auth/session`, { method: 'POST', headers: { 'content-type': 'application/json', ...from(address) }, body: JSON.stringify({ token }) });

  it('do not count when right: an instructor signs in as often as they like', async () => {
    for (let i = 0; i < 6; i++) assert.equal((await signIn(ADMIN_TOKEN, '203.0.113.20')).status, 200);
  });

  it('refuse an address past its wrong attempts, even with the right token, and not another address', async () => {
    for (let i = 0; i < 4; i++) assert.equal((await signIn(`wrong-token-${i}`, '203.0.113.21')).status, 401);
    await assertLimited(await signIn(ADMIN_TOKEN, '203.0.113.21'));
    assert.equal((await signIn(ADMIN_TOKEN, '203.0.113.22')).status, 200);
  });

  it('count a wrong Bearer token on a read as an attempt too', async () => {
    for (let i = 0; i < 4; i++) assert.equal((await app.get('', { authorization: 'Bearer guessed-token', ...from('203.0.113.23') })).status, 401);
    await assertLimited(await app.get('', from('203.0.113.23')));
  });
});
