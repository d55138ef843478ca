// GET /api/session-log/export on both engines: CSV, JSON and NDJSON read back equal the
// stored events, spreadsheet formulas are neutralised, and a client that goes away stops the read.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import pg from 'pg';
import { CSV_COLUMNS } from '../../src/export/csv-export.js';
import type { EventStore, StoredEvent } from '../../src/storage/types.js';
import { createStore } from '../../src/storage/index.js';
import { describeEachEngine } from '../helpers/each-engine.js';
import { ADMIN_TOKEN, readPage, startApp, type RunningApp } from '../helpers/test-app.js';

const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** The store, telling when an export's read of the database has ended. */
function observedStore(inner: EventStore): { store: EventStore; finished: () => number } {
  let finished = 0;
  const store = Object.create(inner) as EventStore;
  store.streamEvents = async function* (query) {
    try {
      yield* inner.streamEvents(query);
    } finally {
      finished += 1;
    }
  };
  return { store, finished: () => finished };
}

await describeEachEngine('export', (engine) => {
  let app: RunningApp;
  let stored: StoredEvent[];
  let finished: () => number;
  let databaseUrl: string;
  const exportOf = (query: string) => fetch(`${app.url}/api/session-log/export?${query}`, { headers: auth });

  before(async () => {
    const database = await engine.createDatabase();
    databaseUrl = database.url;
    const observed = observedStore(await database.openStore());
    finished = observed.finished;
    app = await startApp(database, { store: observed.store });
    const events = [
      { sessionToken: 'ws_1', studentEmail: 'ada@example.com', studentName: 'Ada', eventType: 'navigation', eventData: { from: 1, to: 2, fromStepName: 'Choose Use Case', toStepName: 'Provision Services', demoMode: false } },
      { sessionToken: 'ws_1', eventType: 'error', eventData: { errorType: 'openai_validation_failed', errorMessage: 'Incorrect API key provided: sk-abc123XYZ789', statusCode: 401, currentStep: 0 } },
      // What a student could type to attack the instructor's spreadsheet.
      { sessionToken: 'ws_1', eventType: 'action', eventData: { actionName: '=HYPERLINK("http://evil.example","x")', stepName: '+1+2', validated: true } },
      { sessionToken: 'ws_2', eventType: 'state_change', eventData: { stateName: '@SUM(A1)', oldValue: { nested: [1, 'a,b'] }, newValue: '-2+3', note: '\tTAB' } },
      { sessionToken: 'ws_2', eventType: 'api_call', eventData: { endpoint: '/v1/models', method: 'GET', status: -1, success: false, extra: 'line\nbreak "quoted"' } },
    ];
    assert.equal((await app.post({ events })).status, 200);
    stored = (await readPage(await app.get('order=asc'))).events;
    assert.equal(stored.length, 5);
  });
  after(() => app.close());

  it('exports NDJSON and JSON that read back equal to the stored events', async () => {
    const ndjson = await exportOf('format=ndjson');
    assert.equal(ndjson.status, 200);
    assert.match(ndjson.headers.get('content-type') ?? '', /application\/x-ndjson/);
    assert.match(ndjson.headers.get('content-disposition') ?? '', /^attachment; filename="session-log-\d{8}-\d{6}\.ndjson"$/);
    assert.equal(ndjson.headers.get('cache-control'), 'no-store');
    const lines = (await ndjson.text()).trimEnd().split('\n');
    assert.deepEqual(lines.map((line) => JSON.parse(line) as StoredEvent), stored);

    const json = await exportOf('format=json');
    assert.deepEqual(await json.json(), stored);
    const none = await exportOf('format=json&sessionToken=ws_nobody');
    assert.deepEqual(await none.json(), []);
  });

  it('takes every filter of the query API', async () => {
    const errors = (await (await exportOf('format=json&eventType=error')).json()) as StoredEvent[];
    assert.deepEqual(errors.map((e) => e.event_type), ['error']);
    const bySession = (await (await exportOf('format=json&sessionToken=ws_2&order=desc')).json()) as StoredEvent[];
    assert.deepEqual(bySession, stored.filter((e) => e.session_token === 'ws_2').reverse());
    const byEmail = (await (await exportOf('format=json&studentEmail=ADA@example.com')).json()) as StoredEvent[];
    assert.equal(byEmail.length, 3, 'the session’s events after it was identified');
    const failed = (await (await exportOf('format=json&data.success=false')).json()) as StoredEvent[];
    assert.deepEqual(failed.map((e) => e.event_type), ['api_call']);
    const limited = (await (await exportOf('format=json&limit=2')).json()) as StoredEvent[];
    assert.deepEqual(limited, stored.slice(0, 2));
  });

  it('exports CSV with the spec’s fields as columns, the full JSON, and formulas neutralised', async () => {
    const response = await exportOf('format=csv');
    assert.match(response.headers.get('content-type') ?? '', /^text\/csv/);
    const rows = parse<Record<string, string>>(await response.text(), { columns: true });
    assert.deepEqual(Object.keys(rows[0] ?? {}), CSV_COLUMNS);
    assert.equal(rows.length, stored.length);
    rows.forEach((row, i) => {
      const event = stored[i] as StoredEvent;
      assert.equal(Number(row.event_id), event.event_id);
      assert.equal(row.session_token, event.session_token);
      assert.equal(row.created_at, event.created_at);
      assert.deepEqual(JSON.parse(row.event_data ?? ''), event.event_data, 'the full JSON round-trips');
    });
    const [navigation, error, action, state, call] = rows as [Record<string, string>, Record<string, string>, Record<string, string>, Record<string, string>, Record<string, string>];
    assert.equal(navigation.student_email, 'ada@example.com');
    assert.equal(navigation.toStepName, 'Provision Services');
    assert.equal(navigation.demoMode, 'false');
    assert.equal(error.error_pattern, 'Incorrect API key provided: <key>');
    assert.equal(error.statusCode, '401');
    assert.equal(action.actionName, `'=HYPERLINK("http://evil.example","x")`);
    assert.equal(action.stepName, `'+1+2`);
    assert.equal(state.stateName, `'@SUM(A1)`);
    assert.equal(state.newValue, `'-2+3`);
    assert.equal(state.oldValue, '{"nested":[1,"a,b"]}');
    assert.equal(call.status, '-1', 'a negative number stays a number');
    assert.equal(call.success, 'false');
  });

  it('exports one workshop run: every event of the sessions that logged its tag', async () => {
    const run = [
      { sessionToken: 'ws_run', eventType: 'action', eventData: { actionName: 'joined', workshopId: 'spring' } },
      { sessionToken: 'ws_run', eventType: 'error', eventData: { errorType: 'x', errorMessage: 'untagged' } },
      { sessionToken: 'ws_elsewhere', eventType: 'error', eventData: { errorType: 'x', errorMessage: 'other run', workshopId: 'autumn' } },
    ];
    assert.equal((await app.post({ events: run })).status, 200);
    const errors = (await (await exportOf('format=json&eventType=error&run.workshopId=spring')).json()) as StoredEvent[];
    assert.deepEqual(errors.map((e) => e.event_data.errorMessage), ['untagged']);
    const tagged = (await (await exportOf('format=json&eventType=error&data.workshopId=spring')).json()) as StoredEvent[];
    assert.deepEqual(tagged, [], 'data.<field> is a condition on each event, as in the query API');
    assert.equal((await exportOf('format=json&run.workshopId=foo:1')).status, 400);
  });

  it('refuses unknown formats and bad filters with the API’s 400, and anyone without credentials', async () => {
    for (const query of ['format=xlsx', '', 'format=csv&since=yesterday', 'format=csv&cursor=abc', 'format=csv&limit=0']) {
      const response = await exportOf(query);
      assert.equal(response.status, 400, query);
      assert.equal(((await response.json()) as { success: boolean }).success, false);
    }
    assert.equal((await fetch(`${app.url}/api/session-log/export?format=csv`)).status, 401);
  });

  it('stops reading the database when the client goes away mid-download', async () => {
    // Enough events that the download outlasts the socket's buffers.
    const big = 'x'.repeat(4000);
    for (let batch = 0; batch < 20; batch += 1) {
      const events = Array.from({ length: 100 }, (_, i) => ({ sessionToken: 'ws_bulk', eventType: 'action', eventData: { actionName: `a${batch}-${i}`, big } }));
      assert.equal((await app.post({ events })).status, 200);
    }
    const before = finished();
    await new Promise<void>((resolve, reject) => {
      const request = http.get(`${app.url}/api/session-log/export?format=ndjson&sessionToken=ws_bulk`, { headers: auth }, (response) => {
        assert.equal(response.statusCode, 200);
        response.once('data', () => {
          // Read one chunk, then hang up without reading on.
          request.destroy();
          resolve();
        });
      });
      request.on('error', (error) => (request.destroyed ? undefined : reject(error)));
    });
    while (finished() === before) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(finished(), before + 1, 'the export’s read of the database ended');
    if (engine.name === 'postgres') {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      const { rows } = await client.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND query LIKE '%FROM "events"%' AND pid <> pg_backend_pid()`);
      await client.end();
      assert.equal((rows[0] as { n: number }).n, 0, 'no export query still running');
    }
  });

  // A download whose connection to PostgreSQL is killed part-way (SQLite has no connection to lose).
  if (engine.name !== 'postgres') return;

  it('cuts a download short when the database goes away under it, so that no client takes it for whole', async () => {
    const outcome = await new Promise<string>((resolve, reject) => {
      const request = http.get(`${app.url}/api/session-log/export?format=ndjson&sessionToken=ws_bulk`, { headers: auth }, (response) => {
        response.once('data', () => {
          response.pause();
          void killExportConnection(databaseUrl).then(() => response.resume());
        });
        response.on('end', () => resolve('ended as complete'));
        response.on('error', () => resolve('cut short'));
        response.on('aborted', () => resolve('cut short'));
      });
      request.on('error', reject);
    });
    assert.equal(outcome, 'cut short');
    assert.equal((await readPage(await app.get('limit=1'))).count, 1, 'the service carries on');
  });
});

/** Ends the export's own connection, as a database restart or a failover would. */
async function killExportConnection(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'session-log read'`);
  await client.end();
}

await describe('export from an in-memory SQLite database', () => {
  // The timeout ends a hang (a read waiting on a connection held by the export), not a slow run.
  it('leaves ingest and reads working while a client reads slowly', { timeout: 60_000 }, async () => {
    const store = createStore('sqlite::memory:');
    await store.migrate();
    const app = await startApp({ url: 'sqlite::memory:', openStore: () => Promise.resolve(store) }, { store });
    try {
      const big = 'x'.repeat(4000);
      for (let batch = 0; batch < 25; batch += 1) {
        const events = Array.from({ length: 100 }, (_, i) => ({ sessionToken: 'ws_mem', eventType: 'action', eventData: { i, big } }));
        assert.equal((await app.post({ events })).status, 200);
      }
      // A download of 10 MB, more than the socket's buffers hold, read no further than its first chunk and left open.
      const stalled = await new Promise<http.ClientRequest>((resolve) => {
        const request = http.get(`${app.url}/api/session-log/export?format=ndjson`, { headers: auth }, (response) => {
          response.once('data', () => {
            response.pause();
            resolve(request);
          });
        });
      });
      assert.equal((await app.post({ sessionToken: 'ws_mem', eventType: 'action', eventData: { late: true } })).status, 200);
      assert.equal((await readPage(await app.get('sessionToken=ws_mem&limit=1'))).events[0]?.event_data.late, true);
      stalled.destroy();
    } finally {
      await app.close();
    }
  });
});
