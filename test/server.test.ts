// The process as an operator runs it: configuration errors, the generated token,
// readiness while the database is away, and draining on SIGTERM.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { createDatabase, dropDatabase, postgresAvailable } from './helpers/postgres.js';
import { startServer, waitForHealth } from './helpers/server-process.js';
import { TcpProxy } from './helpers/tcp-proxy.js';

const tempDirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'session-log-server-'));
  tempDirs.push(dir);
  return dir;
};
const removeTempDirs = () => {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
};
const TOKEN = 'server-test-token-0123456789';

await describe('configuration', { concurrency: true }, () => {
  for (const [variable, value] of [
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://localhost/x'],
    ['DATABASE_URL', ''],
    ['SESSION_LOG_ADMIN_TOKEN', 'short'],
    ['CORS_ORIGINS', 'workshop.example.com'],
    ['LOG_LEVEL', 'loud'],
    ['TRUST_PROXY', 'proxy.internal'],
    ['RETENTION_DAYS', 'ninety'],
  ] as const) {
    it(`stops with one line naming ${variable} when it is "${value}"`, async () => {
      const server = startServer({ DATABASE_URL: 'sqlite::memory:', [variable]: value });
      assert.equal(await server.exited(), 1);
      const lines = server.stderr().trim().split('\n');
      assert.equal(lines.length, 1, server.stderr());
      assert.match(lines[0] ?? '', new RegExp(`^session-log: ${variable}: `));
    });
  }
});

await describe('instructor token', () => {
  after(removeTempDirs);
  it('is generated at first start, kept in the data directory, and printed only then', async () => {
    const dir = tempDir();
    const env = { DATABASE_URL: `sqlite:${path.join(dir, 'events.db')}` };
    const first = startServer(env);
    const url = await first.listening();
    await waitForHealth(url, 200);
    const token = /Instructor token .*: (\S+)/.exec(first.stdout())?.[1] ?? '';
    assert.ok(token.length >= 32);
    const file = path.join(dir, 'admin-token');
    assert.equal(fs.readFileSync(file, 'utf8').trim(), token);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.ok(!first.stdout().split(token)[1]?.includes(token), 'printed once');
    first.child.kill('SIGTERM');
    assert.equal(await first.exited(), 0);

    const second = startServer(env);
    const secondUrl = await second.listening();
    await waitForHealth(secondUrl, 200);
    assert.ok(!second.stdout().includes(token), 'not printed again');
    const read = await fetch(`${secondUrl}/api/session-log`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(read.status, 200);
    second.child.kill('SIGTERM');
    assert.equal(await second.exited(), 0);
  });
});

await describe('shutdown', () => {
  after(removeTempDirs);
  it('drains on SIGTERM: every acknowledged event is in the file, exit code 0', async () => {
    const file = path.join(tempDir(), 'events.db');
    const server = startServer({ DATABASE_URL: `sqlite:${file}`, SESSION_LOG_ADMIN_TOKEN: TOKEN });
    const url = await server.listening();
    await waitForHealth(url, 200);
    const post = (n: number) =>
      fetch(`${url}/api/session-log`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sessionToken: 'ws_drain', eventType: 'action', eventData: { n } }),
        signal: AbortSignal.timeout(10_000),
      }).then((r) => r.status, () => 0);
    const outcomes: Array<{ n: number; status: number }> = [];
    let stopping = false;
    const workers = Array.from({ length: 10 }, async (_, worker) => {
      for (let i = 0; !stopping; i += 1) {
        const n = worker * 1_000_000 + i;
        const status = await post(n);
        outcomes.push({ n, status });
        if (status !== 200) return;
      }
    });
    while (outcomes.length < 100) await new Promise((resolve) => setTimeout(resolve, 5));
    server.child.kill('SIGTERM');
    stopping = true;
    await Promise.all(workers);
    assert.equal(await server.exited(), 0);
    assert.deepEqual(outcomes.filter((o) => ![0, 200, 503].includes(o.status)), []);

    const db = new BetterSqlite3(file, { readonly: true });
    const stored = new Set(
      db.prepare("SELECT json_extract(event_data, '$.n') AS n FROM events").all().map((row) => (row as { n: number }).n),
    );
    db.close();
    const acknowledged = outcomes.filter((o) => o.status === 200);
    assert.ok(acknowledged.length > 0);
    assert.deepEqual(acknowledged.filter((o) => !stored.has(o.n)), []);
  });
});

await describe('readiness', { skip: (await postgresAvailable()) ? false : 'postgres unreachable' }, () => {
  it('answers 503 until PostgreSQL is reachable, then migrates and takes events', async () => {
    const free = net.createServer();
    await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve));
    const port = (free.address() as net.AddressInfo).port;
    await new Promise((resolve) => free.close(resolve));

    const database = await createDatabase();
    const target = new URL(database.url);
    const viaProxy = new URL(database.url);
    viaProxy.port = String(port);
    const server = startServer({ DATABASE_URL: viaProxy.toString(), SESSION_LOG_ADMIN_TOKEN: TOKEN });
    const url = await server.listening();
    try {
      assert.equal((await fetch(`${url}/healthz`)).status, 503);
      const early = await fetch(`${url}/api/session-log`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sessionToken: 'ws_early', eventType: 'action', eventData: {} }),
      });
      assert.equal(early.status, 503);
      assert.ok(early.headers.get('retry-after'));

      const proxy = await TcpProxy.start(target.hostname, Number(target.port || 5432), port);
      try {
        await waitForHealth(url, 200);
        const late = await fetch(`${url}/api/session-log`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ sessionToken: 'ws_late', eventType: 'action', eventData: {} }),
        });
        assert.equal(late.status, 200);
      } finally {
        server.child.kill('SIGTERM');
        assert.equal(await server.exited(), 0);
        await proxy.stop();
      }
    } finally {
      server.child.kill('SIGTERM');
      await dropDatabase(database.name);
    }
  });
});
