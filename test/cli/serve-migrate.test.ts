// `session-log serve` and `migrate`: the two commands that act on this machine rather
// than over HTTP.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { createDatabase, dropDatabase, postgresAvailable } from '../helpers/postgres.js';
import { runCli, startCli } from './helpers/cli.js';
import { TOKEN } from './helpers/service.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'session-log-cli-local-'));

await describe('session-log migrate', { timeout: 60_000 }, () => {
  it('creates the schema of a new database, says so, and is a no-op the second time', async () => {
    const file = path.join(dir, 'migrated.db');
    const first = await runCli(['migrate', '--database-url', `sqlite:${file}`]);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout, `migrated sqlite:${file}: the schema is up to date\n`);
    const database = new BetterSqlite3(file, { readonly: true });
    const applied = database.prepare('SELECT count(*) AS n FROM kysely_migration').get() as { n: number };
    database.close();
    assert.ok(applied.n > 0);
    const second = await runCli(['migrate'], { DATABASE_URL: `sqlite:${file}` });
    assert.equal(second.code, 0, second.stderr);
  });

  it('migrates a PostgreSQL database the same way', async (t) => {
    if (!(await postgresAvailable())) return t.skip('no PostgreSQL');
    const database = await createDatabase();
    try {
      const { code, stdout, stderr } = await runCli(['migrate', '--database-url', database.url]);
      assert.equal(code, 0, stderr);
      assert.equal(stdout, `migrated ${database.url}: the schema is up to date\n`);
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM kysely_migration');
      await client.end();
      assert.ok(Number(rows[0]?.n) > 0);
    } finally {
      await dropDatabase(database.name);
    }
  });

  it('exits 2 with the service own words on a bad database URL', async () => {
    const { code, stderr } = await runCli(['migrate', '--database-url', 'mysql://localhost/x']);
    assert.equal(code, 2);
    assert.match(stderr, /^session-log: DATABASE_URL: expected sqlite:<path>/);
  });
});

await describe('session-log serve', { timeout: 60_000 }, () => {
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('starts the service with the options given, and stops cleanly on SIGTERM', async () => {
    const file = path.join(dir, 'served.db');
    const serve = startCli(['serve', '--port', '0', '--host', '127.0.0.1', '--database-url', `sqlite:${file}`], { SESSION_LOG_ADMIN_TOKEN: TOKEN });
    await serve.until((stdout) => /Server listening at http:\/\/127\.0\.0\.1:\d+/.test(stdout));
    const url = /Server listening at (http:\/\/[\d.:]+)/.exec(serve.stdout())?.[1] ?? '';
    await serve.until((stdout) => stdout.includes('ready to take events'));
    const query = await runCli(['query'], { SESSION_LOG_URL: url, SESSION_LOG_TOKEN: TOKEN });
    assert.equal(query.code, 0, query.stderr);
    assert.ok(fs.existsSync(file));
    serve.child.kill('SIGTERM');
    assert.equal(await serve.exited(), 0);
  });
});
