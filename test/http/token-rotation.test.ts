// POST /api/auth/token on both engines, with two instances sharing the database.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachEngine } from '../helpers/each-engine.js';
import { ADMIN_TOKEN, signIn, startApp } from '../helpers/test-app.js';

const reads = (url: string, token: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/api/session-log?limit=1`, { headers: { authorization: `Bearer ${token}`, ...headers } }).then((response) => response.status);

/** Polls until `url` answers `status` to `token`: a rotation reaches other instances within a second. */
async function waitForStatus(url: string, token: string, status: number): Promise<void> {
  for (let attempt = 0; (await reads(url, token)) !== status; attempt += 1) {
    if (attempt > 100) throw new Error(`never ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

await describeEachEngine('instructor token rotation', (engine) => {
  it('replaces the token on every instance, ends dashboard sign-ins, and survives a restart', async () => {
    const database = await engine.createDatabase();
    const first = await startApp(database);
    const second = await startApp(database);
    const { cookie } = await signIn(first.url);
    assert.equal((await fetch(`${first.url}/api/auth/session`, { headers: { cookie } })).status, 200);

    const response = await fetch(`${first.url}/api/auth/token`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const { token } = (await response.json()) as { token: string };
    assert.match(token, /^slk_[A-Za-z0-9_-]{32}$/);

    assert.equal(await reads(first.url, ADMIN_TOKEN), 401, 'the old token stops at once where it was rotated');
    assert.equal(await reads(first.url, token), 200);
    await waitForStatus(second.url, ADMIN_TOKEN, 401);
    assert.equal(await reads(second.url, token), 200);
    assert.equal((await fetch(`${first.url}/api/auth/session`, { headers: { cookie } })).status, 401, 'sign-ins made with the old token end');
    assert.equal((await signIn(second.url)).response.status, 401);
    assert.equal((await signIn(second.url, token)).response.status, 200);
    await first.close();
    await second.close();

    // Restarted with the same configured token: the rotated one stays in force.
    const restarted = await startApp(database);
    assert.equal(await reads(restarted.url, token), 200);
    assert.equal(await reads(restarted.url, ADMIN_TOKEN), 401);
    await restarted.close();

    // The operator configures a new token: it takes over.
    const configured = 'operator-set-token-abcdefghij';
    const reconfigured = await startApp(database, { adminToken: configured });
    assert.equal(await reads(reconfigured.url, configured), 200);
    assert.equal(await reads(reconfigured.url, token), 401);
    await reconfigured.close();
  });

  it('rotates only for an instructor', async () => {
    const app = await startApp(await engine.createDatabase());
    assert.equal((await fetch(`${app.url}/api/auth/token`, { method: 'POST' })).status, 401);
    assert.equal((await fetch(`${app.url}/api/auth/token`, { method: 'POST', headers: { authorization: 'Bearer wrong-token-0123456789' } })).status, 401);
    assert.equal(await reads(app.url, ADMIN_TOKEN), 200);
    await app.close();
  });
});
