// The database goes away under load and comes back: no acknowledged event is lost,
// nothing answers 500, nothing hangs, and the service recovers without a restart.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { cleanUpDatabases, ENGINES } from '../helpers/engines.js';
import { postgresAvailable } from '../helpers/postgres.js';
import type { TcpProxy } from '../helpers/tcp-proxy.js';
import { readPage, startApp, startAppBehindProxy, type RunningApp } from '../helpers/test-app.js';

const [sqlite, postgres] = ENGINES;

interface Outcome {
  n: number;
  status: number;
}

/** Posts numbered events from several workers until `until()` says stop; `seen` fills as answers come. */
async function load(app: RunningApp, workers: number, until: () => boolean, seen: Outcome[] = []): Promise<Outcome[]> {
  const outcomes = seen;
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (!until()) {
        const n = next++;
        const response = await app.post({ sessionToken: `ws_load_${n % 10}`, eventType: 'action', eventData: { n } });
        outcomes.push({ n, status: response.status });
        if (response.status === 503) {
          assert.ok(response.headers.get('retry-after'), '503 carries Retry-After');
          await sleep(50);
        }
      }
    }),
  );
  return outcomes;
}

async function storedNumbers(app: RunningApp): Promise<number[]> {
  const numbers: number[] = [];
  let cursor = '';
  for (let hasMore = true; hasMore; ) {
    const page = await readPage(await app.get(`order=asc&limit=1000${cursor === '' ? '' : `&cursor=${cursor}`}`));
    numbers.push(...page.events.map((e) => Number(e.event_data.n)));
    cursor = page.nextCursor ?? '';
    hasMore = page.hasMore;
  }
  return numbers;
}

/** As a client would: posts one event, again after a pause while the answer is not 200, `attempts` times at most; the statuses. */
async function postUntilStored(app: RunningApp, sessionToken: string, attempts: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let attempt = 0; attempt < attempts && statuses.at(-1) !== 200; attempt += 1) {
    if (attempt > 0) await sleep(100);
    statuses.push((await app.post({ sessionToken, eventType: 'action', eventData: { n: attempt } })).status);
  }
  return statuses;
}

/** Ends every other connection to the client's database (the service's pool among them); how many. */
async function terminateConnections(admin: pg.Client): Promise<number> {
  const killed = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
  return killed.rowCount ?? 0;
}

function assertNoAcknowledgedEventLost(outcomes: Outcome[], stored: number[]): void {
  assert.deepEqual([...new Set(outcomes.map((o) => o.status))].filter((s) => s !== 200 && s !== 503), []);
  assert.equal(new Set(stored).size, stored.length, 'no event stored twice');
  const storedSet = new Set(stored);
  const lost = outcomes.filter((o) => o.status === 200 && !storedSet.has(o.n));
  assert.deepEqual(lost, [], 'every acknowledged event is stored');
}

await describe('PostgreSQL outage', { skip: (await postgresAvailable()) ? false : 'postgres unreachable' }, () => {
  let proxy: TcpProxy;
  let app: RunningApp;
  let databaseUrl: string;

  before(async () => {
    const database = await postgres!.createDatabase();
    databaseUrl = database.url;
    ({ app, proxy } = await startAppBehindProxy(database));
  });
  after(async () => {
    await app.close();
    await proxy.stop();
  });
  after(cleanUpDatabases);

  it('keeps every acknowledged event through a server that goes down and comes back', async () => {
    let phase: 'before' | 'down' | 'after' | 'done' = 'before';
    const running = load(app, 20, () => phase === 'done');
    await sleep(500);
    phase = 'down';
    await proxy.stop();
    await sleep(1500);
    const health = await fetch(`${app.url}/healthz`);
    assert.equal(health.status, 503);
    const boundary = (await readPage(await app.get('limit=1')).catch(() => null))?.events[0];
    assert.equal(boundary, undefined, 'reads fail while the database is down');
    await proxy.restore();
    phase = 'after';
    await sleep(1500);
    phase = 'done';
    const outcomes = await running;

    assert.ok(outcomes.some((o) => o.status === 503), 'the outage was seen');
    assert.ok(outcomes.filter((o) => o.status === 200).length > 20, 'events were stored');
    assert.equal((await fetch(`${app.url}/healthz`)).status, 200, 'recovered without a restart');
    assertNoAcknowledgedEventLost(outcomes, await storedNumbers(app));
  });

  it('answers 503 rather than hanging when the server stops answering', async () => {
    proxy.freeze();
    try {
      const response = await app.post({ sessionToken: 'ws_frozen', eventType: 'action', eventData: {} });
      assert.equal(response.status, 503);
      assert.equal((await fetch(`${app.url}/healthz`)).status, 503);
    } finally {
      await proxy.restore();
    }
    assert.equal((await postUntilStored(app, 'ws_thawed', 20)).at(-1), 200);
  });

  it('survives its connections being killed by the server', async () => {
    await app.post({ sessionToken: 'ws_killed', eventType: 'action', eventData: { n: 0 } });
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    const killed = await terminateConnections(admin);
    await admin.end();
    assert.ok(killed > 0, 'some connections were killed');
    const statuses = await postUntilStored(app, 'ws_killed', 30);
    assert.deepEqual(statuses.filter((s) => s !== 200 && s !== 503), []);
    assert.equal(statuses.at(-1), 200);
  });

  it('answers 503 and reports itself unready while the database is read-only (a standby after failover)', async () => {
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    const name = new URL(databaseUrl).pathname.slice(1);
    const setReadOnly = async (on: boolean) => {
      await admin.query(`ALTER DATABASE "${name}" SET default_transaction_read_only = ${on ? 'on' : 'off'}`);
      await terminateConnections(admin);
    };
    try {
      await setReadOnly(true);
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 10; attempt += 1) {
        statuses.push((await app.post({ sessionToken: 'ws_read_only', eventType: 'action', eventData: {} })).status);
        await sleep(50);
      }
      assert.deepEqual([...new Set(statuses)], [503]);
      assert.equal((await fetch(`${app.url}/healthz`)).status, 503);
    } finally {
      await setReadOnly(false);
      await admin.end();
    }
    assert.equal((await postUntilStored(app, 'ws_writable', 30)).at(-1), 200);
    assert.equal((await fetch(`${app.url}/healthz`)).status, 200);
  });
});

await describe('SQLite locked by another process', () => {
  let app: RunningApp;
  let file: string;
  before(async () => {
    const database = await sqlite!.createDatabase();
    file = database.url.slice('sqlite:'.length);
    app = await startApp(database);
  });
  after(() => app.close());
  after(cleanUpDatabases);

  it('answers 503 with Retry-After while the lock is held, and recovers after', async () => {
    let phase: 'before' | 'locked' | 'done' = 'before';
    const seen: Outcome[] = [];
    const running = load(app, 10, () => phase === 'done', seen);
    await sleep(300);
    const other = new BetterSqlite3(file);
    other.exec('BEGIN EXCLUSIVE');
    phase = 'locked';
    // Hold the lock until the service has answered under it (a loaded machine may take a while).
    for (let waited = 0; waited < 15_000 && !seen.some((o) => o.status === 503); waited += 100) await sleep(100);
    await sleep(500);
    other.exec('COMMIT');
    other.close();
    // Past the committer's fail-fast window (1 s), requests reach the database again.
    await sleep(1500);
    phase = 'done';
    const outcomes = await running;
    assert.ok(outcomes.some((o) => o.status === 503), 'the lock was seen');
    assert.equal(outcomes.at(-1)?.status, 200, 'recovered');
    assertNoAcknowledgedEventLost(outcomes, await storedNumbers(app));
  });
});
