// `session-log backup`: an SQLite copy taken while the service runs, restored into a
// fresh service that reads every event back.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { startServer, waitForHealth } from '../helpers/server-process.js';
import { runCli } from './helpers/cli.js';
import { startService, TOKEN } from './helpers/service.js';

const service = await startService();

const eventsOf = async (url: string) => {
  const response = await fetch(`${url}/api/session-log?order=asc&limit=1000`, { headers: { authorization: `Bearer ${TOKEN}` } });
  assert.equal(response.status, 200);
  return ((await response.json()) as { events: unknown[] }).events;
};

await describe('session-log backup', { timeout: 60_000 }, () => {
  after(() => service.stop());

  it('copies the database while the service runs, and a fresh service reads every event back', async () => {
    const events = Array.from({ length: 300 }, (_, i) => ({ sessionToken: `ws_${i % 7}`, studentEmail: `s${i % 7}@example.edu`, eventType: 'action', eventData: { i } }));
    await service.post(events);
    const file = path.join(service.dir, 'copy.db');
    // Events keep arriving while it copies: the copy is one consistent moment, whole.
    const [backup] = await Promise.all([runCli(['backup', file], { DATABASE_URL: `sqlite:${path.join(service.dir, 'x.db')}` }), service.post(events.slice(0, 50))]);
    assert.equal(backup.code, 0, backup.stderr);
    assert.match(backup.stdout, /^backed up .*x\.db to .*copy\.db \(\d+ pages\)\n$/);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);

    const restored = startServer({ DATABASE_URL: `sqlite:${file}`, SESSION_LOG_ADMIN_TOKEN: TOKEN });
    try {
      const url = await restored.listening();
      await waitForHealth(url, 200);
      const copied = await eventsOf(url);
      const original = await eventsOf(service.url);
      assert.ok(copied.length === 300 || copied.length === 350, `${copied.length} events`);
      assert.deepEqual(copied, original.slice(0, copied.length), 'the copy holds the original’s events as stored');
    } finally {
      restored.child.kill('SIGTERM');
      await restored.exited();
    }
  });

  it('refuses a file that exists and a PostgreSQL database, with exit 2', async () => {
    const existing = path.join(service.dir, 'taken.db');
    fs.writeFileSync(existing, 'keep me');
    const taken = await runCli(['backup', existing], { DATABASE_URL: `sqlite:${path.join(service.dir, 'x.db')}` });
    assert.equal(taken.code, 2);
    assert.equal(fs.readFileSync(existing, 'utf8'), 'keep me');
    const postgres = await runCli(['backup', path.join(service.dir, 'pg.db'), '--database-url', 'postgres://postgres@127.0.0.1:5432/test']);
    assert.equal(postgres.code, 2);
    assert.match(postgres.stderr, /pg_dump/);
  });
});
