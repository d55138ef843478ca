// The dashboard's sign-in: the token buys an HttpOnly, SameSite=Strict cookie that reads accept.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signerFactory } from '@fastify/cookie';
import { cookieSecret, SESSION_COOKIE } from '../../src/http/instructor-auth.js';
import { cleanUpDatabases, ENGINES } from '../helpers/engines.js';
import { ADMIN_TOKEN, startApp, type RunningApp } from '../helpers/test-app.js';

const [sqlite] = ENGINES;

await describe('instructor session cookie', () => {
  let app: RunningApp;
  before(async () => {
    app = await startApp(await sqlite!.createDatabase());
  });
  after(() => app.close());
  after(cleanUpDatabases);

  const signIn = (token: string) =>
    fetch(`${app.url}/api/auth/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
  const read = (path: string, cookie?: string) => fetch(`${app.url}${path}`, { headers: cookie === undefined ? {} : { cookie } });
  const cookieOf = (response: Response) => (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';

  it('refuses a wrong token and sets no cookie', async () => {
    const response = await signIn('not-the-token-at-all');
    assert.equal(response.status, 401);
    assert.equal(response.headers.get('set-cookie'), null);
  });

  it('gives the right token an HttpOnly, SameSite=Strict cookie that does not carry the token', async () => {
    const response = await signIn(ADMIN_TOKEN);
    assert.equal(response.status, 200);
    const header = response.headers.get('set-cookie') ?? '';
    assert.match(header, new RegExp(`^${SESSION_COOKIE}=`));
    assert.match(header, /HttpOnly/);
    assert.match(header, /SameSite=Strict/);
    assert.match(header, /Path=\//);
    assert.ok(!header.includes(ADMIN_TOKEN));
  });

  it('lets the cookie read the API without a header, like the spec’s fetch examples', async () => {
    const cookie = cookieOf(await signIn(ADMIN_TOKEN));
    for (const path of ['/api/session-log?eventType=error', '/api/sessions', '/api/auth/session']) {
      assert.equal((await read(path, cookie)).status, 200, path);
      assert.equal((await read(path)).status, 401, `${path} without the cookie`);
    }
  });

  it('refuses a cookie that was tampered with or has expired', async () => {
    const cookie = cookieOf(await signIn(ADMIN_TOKEN));
    const [name, value = ''] = cookie.split('=');
    const tampered = `${name}=${encodeURIComponent(decodeURIComponent(value).replace(/^\d/, (d) => String((Number(d) + 1) % 10)))}`;
    assert.equal((await read('/api/sessions', tampered)).status, 401);
    const expired = signerFactory(cookieSecret(ADMIN_TOKEN)).sign(String(Date.now() - 1000));
    assert.equal((await read('/api/sessions', `${SESSION_COOKIE}=${encodeURIComponent(expired)}`)).status, 401);
  });

  it('signs out by clearing the cookie', async () => {
    const response = await fetch(`${app.url}/api/auth/session`, { method: 'DELETE' });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('set-cookie') ?? '', new RegExp(`^${SESSION_COOKIE}=;.*Expires=Thu, 01 Jan 1970`));
  });
});
