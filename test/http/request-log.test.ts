// The service's own logs, as an operator reads them: JSON lines naming each request by
// the id the proxy gave it, and never a student's email, a session token or a secret.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startServer, waitForHealth, type ServerProcess } from '../helpers/server-process.js';

const TOKEN = 'request-log-instructor-token-42';
const EMAIL = 'logged.student@example.edu';
const SESSION = 'ws_request_log_private';

await describe('request logs behind a proxy (LOG_LEVEL=debug)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'session-log-logs-'));
  let server: ServerProcess;
  let url: string;
  before(async () => {
    server = startServer({ DATABASE_URL: `sqlite:${path.join(dir, 'events.db')}`, SESSION_LOG_ADMIN_TOKEN: TOKEN, TRUST_PROXY: '127.0.0.1', LOG_LEVEL: 'debug' });
    url = await server.listening();
    await waitForHealth(url, 200);
  });
  after(async () => {
    server.child.kill('SIGTERM');
    await server.exited();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const lines = () =>
    server
      .stdout()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  it("names each request by the proxy's X-Request-Id, with its route and status, without the query", async () => {
    const post = await fetch(`${url}/api/session-log`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'nginx-0af3c2' },
      body: JSON.stringify({ sessionToken: SESSION, studentEmail: EMAIL, eventType: 'action', eventData: {} }),
    });
    assert.equal(post.status, 200);
    const read = await fetch(`${url}/api/session-log?studentEmail=${encodeURIComponent(EMAIL)}`, {
      headers: { authorization: `Bearer ${TOKEN}`, 'x-request-id': 'nginx-77bd01' },
    });
    assert.equal(read.status, 200);
    const refused = await fetch(`${url}/api/session-log?sessionToken=${SESSION}`, { headers: { authorization: 'Bearer wrong-token', 'x-request-id': 'nginx-5e5e5e' } });
    assert.equal(refused.headers.get('x-request-id'), 'nginx-5e5e5e', 'an error names the request, for the user to quote');
    const byId = async (id: string) => {
      for (let i = 0; i < 100 && !lines().some((line) => line.reqId === id); i++) await new Promise((resolve) => setTimeout(resolve, 20));
      return lines().find((line) => line.reqId === id);
    };
    assert.deepEqual(pick(await byId('nginx-0af3c2')), { method: 'POST', route: '/api/session-log', path: '/api/session-log', status: 200 });
    assert.deepEqual(pick(await byId('nginx-77bd01')), { method: 'GET', route: '/api/session-log', path: '/api/session-log', status: 200 });
    assert.deepEqual(pick(await byId('nginx-5e5e5e')), { method: 'GET', route: '/api/session-log', path: '/api/session-log', status: 401 });
  });

  it('an id a client makes up in a form no proxy sends is replaced by one of our own', async () => {
    const response = await fetch(`${url}/api/session-log`, { headers: { 'x-request-id': 'x'.repeat(200) } });
    assert.match(response.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
  });

  it('writes no email, session token or secret anywhere in its output', () => {
    const output = server.stdout() + server.stderr();
    assert.ok(lines().length > 3);
    for (const secret of [EMAIL, encodeURIComponent(EMAIL), SESSION, TOKEN, 'wrong-token']) assert.ok(!output.includes(secret), `found ${secret} in the logs`);
  });
});

function pick(line: Record<string, unknown> | undefined) {
  assert.ok(line !== undefined, 'no log line for the request');
  return { method: line.method, route: line.route, path: line.path, status: line.status };
}
