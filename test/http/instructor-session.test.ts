// The dashboard's sign-in: the token buys an HttpOnly, SameSite=Strict cookie that reads accept.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signerFactory } from '@fastify/cookie';
import { cookieSecret, SESSION_COOKIE, sessionDigest } from '../../src/http/instructor-auth.js';
import { cleanUpDatabases, ENGINES } from '../helpers/engines.js';
import type { TcpProxy } from '../helpers/tcp-proxy.js';
import { ADMIN_TOKEN, signIn, signOut, startApp, startAppBehindProxy, type RunningApp } from '../helpers/test-app.js';

const [sqlite, postgres] = ENGINES;

await describe('instructor session cookie', () => {
  let app: RunningApp;
  before(async () => {
    app = await startApp(await sqlite!.createDatabase());
  });
  after(() => app.close());
  after(cleanUpDatabases);

  const read = (path: string, cookie?: string) => fetch(`${app.url}${path}`, { headers: cookie === undefined ? {} : { cookie } });

  it('refuses a wrong token and sets no cookie', async () => {
    const { response } = await signIn(app.url, 'not-the-token-at-all');
    assert.equal(response.status, 401);
    assert.equal(response.headers.get('set-cookie'), null);
  });

  it('gives the right token an HttpOnly, SameSite=Strict cookie that does not carry the token', async () => {
    const { response } = await signIn(app.url);
    assert.equal(response.status, 200);
    const header = response.headers.get('set-cookie') ?? '';
    assert.match(header, new RegExp(`^${SESSION_COOKIE}=`));
    assert.match(header, /HttpOnly/);
    assert.match(header, /SameSite=Strict/);
    assert.match(header, /Path=\//);
    assert.ok(!header.includes(ADMIN_TOKEN));
  });

  it('lets the cookie read the API without a header, like the spec’s fetch examples', async () => {
    const { cookie } = await signIn(app.url);
    for (const path of ['/api/session-log?eventType=error', '/api/sessions', '/api/auth/session']) {
      assert.equal((await read(path, cookie)).status, 200, path);
      assert.equal((await read(path)).status, 401, `${path} without the cookie`);
    }
  });

  it('refuses a cookie that was tampered with, or whose session has expired', async () => {
    const { cookie } = await signIn(app.url);
    const [name, value = ''] = cookie.split('=');
    const decoded = decodeURIComponent(value);
    const tampered = `${name}=${encodeURIComponent((decoded.startsWith('A') ? 'B' : 'A') + decoded.slice(1))}`;
    assert.equal((await read('/api/sessions', tampered)).status, 401);
    const cookieFor = async (id: string, expiresAt: Date) => {
      await app.store.startInstructorSession(sessionDigest(id), expiresAt);
      return `${SESSION_COOKIE}=${encodeURIComponent(signerFactory(cookieSecret(ADMIN_TOKEN)).sign(id))}`;
    };
    assert.equal((await read('/api/sessions', await cookieFor('a-live-session-id', new Date(Date.now() + 60_000)))).status, 200);
    assert.equal((await read('/api/sessions', await cookieFor('an-expired-session-id', new Date(Date.now() - 1000)))).status, 401);
  });

  it('marks the cookie Secure over HTTPS, behind a proxy only when told to trust it', async () => {
    const signInAt = async (target: RunningApp) => (await signIn(target.url, ADMIN_TOKEN, { 'x-forwarded-proto': 'https' })).response;
    assert.doesNotMatch((await signInAt(app)).headers.get('set-cookie') ?? '', /Secure/);
    const behindProxy = await startApp(await sqlite!.createDatabase(), { trustProxy: '127.0.0.1' });
    try {
      assert.match((await signInAt(behindProxy)).headers.get('set-cookie') ?? '', /; Secure/);
    } finally {
      await behindProxy.close();
    }
  });

  it('replaces the session a browser held when it signs in again', async () => {
    const { cookie: first } = await signIn(app.url);
    const { cookie: second } = await signIn(app.url, ADMIN_TOKEN, { cookie: first });
    assert.notEqual(second, first);
    assert.equal((await read('/api/sessions', first)).status, 401);
    assert.equal((await read('/api/sessions', second)).status, 200);
  });

  it('signs out: clears the cookie, and ends the session for a copy of it too', async () => {
    const { cookie } = await signIn(app.url);
    assert.equal((await read('/api/sessions', cookie)).status, 200);
    const response = await signOut(app.url, cookie);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('set-cookie') ?? '', new RegExp(`^${SESSION_COOKIE}=;.*Expires=Thu, 01 Jan 1970`));
    assert.equal((await read('/api/sessions', cookie)).status, 401);
  });
});

// One database, two instances: `other` reaches it through a proxy that the last test stops.
await describe('instructor sessions across instances sharing PostgreSQL', { skip: (await postgres!.available()) ? false : 'postgres unreachable' }, () => {
  let one: RunningApp;
  let other: RunningApp;
  let proxy: TcpProxy;
  before(async () => {
    const database = await postgres!.createDatabase();
    one = await startApp(database);
    ({ app: other, proxy } = await startAppBehindProxy(database));
  });
  after(async () => {
    await one?.close();
    await other?.close();
    await proxy?.stop();
  });
  after(cleanUpDatabases);

  it('signs in on one instance, reads on another, and a sign-out on either ends it on both', async () => {
    const { cookie } = await signIn(one.url);
    const status = async (app: RunningApp) => (await fetch(`${app.url}/api/sessions`, { headers: { cookie } })).status;
    assert.deepEqual([await status(one), await status(other)], [200, 200]);
    assert.equal((await signOut(other.url, cookie)).status, 200);
    assert.deepEqual([await status(one), await status(other)], [401, 401]);
  });

  it('signing out while the database is down still clears the cookie, and says with a 503 that the session could not be ended everywhere', async () => {
    const { cookie } = await signIn(other.url);
    await proxy.stop();
    const response = await signOut(other.url, cookie);
    assert.equal(response.status, 503);
    assert.match(response.headers.get('set-cookie') ?? '', new RegExp(`^${SESSION_COOKIE}=;`));
    assert.equal((await fetch(`${other.url}/api/sessions`, { headers: { cookie } })).status, 503);
  });
});
