// Concurrent requests share transactions; each is answered only after its own commit.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { ServiceUnavailableError } from '../../src/errors.js';
import { DEFAULT_GROUP_COMMIT, GroupCommitter } from '../../src/ingest/group-commit.js';
import { StoreUnavailableError, type NewEvent } from '../../src/storage/types.js';
import { CountingStore } from '../helpers/counting-store.js';
import { describeEachEngine } from '../helpers/each-engine.js';
import { readPage, startApp, type RunningApp } from '../helpers/test-app.js';

const event = (sessionToken: string, n: number): NewEvent => ({ sessionToken, eventType: 'action', eventData: { n } });

await describeEachEngine('group commit', (engine) => {
  let store: CountingStore;
  before(async () => {
    store = new CountingStore(await (await engine.createDatabase()).openStore());
  });
  after(() => store.close());

  const storedCount = async (sessionToken: string) =>
    (await store.queryEvents({ sessionToken, dataFilters: [], order: 'asc', limit: 1000 })).length;

  it('writes requests submitted together in one transaction', async () => {
    const committer = new GroupCommitter(store, { ...DEFAULT_GROUP_COMMIT, maxGroupEvents: 1000 });
    store.groups.length = 0;
    await Promise.all(Array.from({ length: 200 }, (_, n) => committer.submit([event('ws_together', n)])));
    assert.deepEqual(store.groups, [200]);
    assert.equal(await storedCount('ws_together'), 200);
  });

  it('queues requests that arrive during a commit into the next one', async () => {
    const committer = new GroupCommitter(store, { ...DEFAULT_GROUP_COMMIT, maxGroupEvents: 1000 });
    store.groups.length = 0;
    store.hold();
    const first = committer.submit([event('ws_next', 0)]);
    await new Promise((resolve) => setImmediate(resolve));
    let secondSettled = false;
    const rest = Promise.all(Array.from({ length: 50 }, (_, n) => committer.submit([event('ws_next', n + 1)]))).then(
      () => (secondSettled = true),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(secondSettled, false, 'nothing is acknowledged before its commit');
    store.release();
    await Promise.all([first, rest]);
    assert.deepEqual(store.groups, [1, 50]);
    assert.equal(await storedCount('ws_next'), 51);
  });

  it('keeps at most maxInFlight transactions open, and the rest queued', async () => {
    const committer = new GroupCommitter(store, { ...DEFAULT_GROUP_COMMIT, maxInFlight: 2 });
    store.groups.length = 0;
    store.hold();
    const tick = () => new Promise((resolve) => setImmediate(resolve));
    const first = committer.submit([event('ws_inflight', 0)]);
    await tick();
    const second = committer.submit([event('ws_inflight', 1)]);
    await tick();
    const rest = [2, 3, 4].map((n) => committer.submit([event('ws_inflight', n)]));
    await tick();
    assert.deepEqual(store.groups, [1, 1], 'the third group waits for a free slot');
    store.release();
    await Promise.all([first, second, ...rest]);
    assert.deepEqual(store.groups, [1, 1, 3]);
    assert.equal(await storedCount('ws_inflight'), 5);
  });

  it('caps a transaction at maxGroupEvents but never splits a request', async () => {
    const committer = new GroupCommitter(store, { ...DEFAULT_GROUP_COMMIT, maxGroupEvents: 50 });
    store.groups.length = 0;
    const batch = Array.from({ length: 70 }, (_, n) => event('ws_cap', n));
    await Promise.all([
      committer.submit(batch.slice(0, 30)),
      committer.submit(batch.slice(30, 60)),
      committer.submit(batch.slice(60)),
    ]);
    assert.deepEqual(store.groups, [30, 40]);
  });

  it('refuses with 503 past the queue bound instead of growing memory', async () => {
    const committer = new GroupCommitter(store, { ...DEFAULT_GROUP_COMMIT, maxGroupEvents: 10, maxQueuedEvents: 10 });
    store.hold();
    const accepted = committer.submit(Array.from({ length: 10 }, (_, n) => event('ws_bound', n)));
    await assert.rejects(committer.submit([event('ws_bound', 10)]), ServiceUnavailableError);
    store.release();
    await accepted;
    await committer.submit([event('ws_bound', 11)]);
    assert.equal(await storedCount('ws_bound'), 11);
  });

  it('drains what was accepted, then refuses', async () => {
    const committer = new GroupCommitter(store);
    store.hold();
    const pending = Array.from({ length: 20 }, (_, n) => committer.submit([event('ws_drain', n)]));
    const drained = committer.drain();
    await assert.rejects(committer.submit([event('ws_drain', 99)]), ServiceUnavailableError);
    store.release();
    await drained;
    await Promise.all(pending);
    assert.equal(await storedCount('ws_drain'), 20);
  });
});

await describeEachEngine('concurrent ingest over HTTP', (engine) => {
  let app: RunningApp;
  let store: CountingStore;
  before(async () => {
    const database = await engine.createDatabase();
    store = new CountingStore(await database.openStore());
    app = await startApp(database, { store });
  });
  after(() => app.close());

  it('answers 200 concurrent posts and stores each once', async () => {
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, n) => app.post({ sessionToken: `ws_c${n % 20}`, eventType: 'action', eventData: { n } })),
    );
    assert.deepEqual([...new Set(responses.map((r) => r.status))], [200]);
    const stored = await readPage(await app.get('limit=1000'));
    assert.deepEqual(stored.events.map((e) => e.event_data.n).sort((a, b) => Number(a) - Number(b)), [...Array(200).keys()]);
    assert.equal(store.groups.reduce((a, b) => a + b, 0), 200);
    console.log(`# 200 concurrent posts committed in ${store.groups.length} transactions`);
  });

  it('stores a retried event once, even when the retries race', async () => {
    const body = { sessionToken: 'ws_retry', eventType: 'action', eventData: { n: 1 }, eventId: '0190B6A4-3C1E-7D3A-9F2B-1A2B3C4D5E6F' };
    const first = await app.post(body);
    const racing = await Promise.all(Array.from({ length: 10 }, () => app.post({ ...body, eventId: body.eventId.toLowerCase() })));
    assert.deepEqual([first.status, ...racing.map((r) => r.status)], Array(11).fill(200));
    const stored = await readPage(await app.get('sessionToken=ws_retry'));
    assert.equal(stored.count, 1);
  });

  it('stores a batch whole and answers once', async () => {
    const events = Array.from({ length: 300 }, (_, n) => ({ sessionToken: 'ws_batch', eventType: 'action', eventData: { n } }));
    const response = await app.post({ events });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { success: true, message: 'Event logged successfully', count: 300 });
    assert.equal((await readPage(await app.get('sessionToken=ws_batch&limit=1000'))).count, 300);
  });
});

await describeEachEngine('group commit when the database fails', (engine) => {
  let store: CountingStore;
  before(async () => {
    store = new CountingStore(await (await engine.createDatabase()).openStore());
  });
  after(() => store.close());

  it('answers everything queued at once, then refuses new requests for a moment', async () => {
    const committer = new GroupCommitter(store, { ...DEFAULT_GROUP_COMMIT, failFastMs: 200 });
    store.failNext(new StoreUnavailableError(new Error('connection refused')));
    const outcome = (n: number) => committer.submit([event('ws_fail', n)]).then(() => 'stored', () => 'refused');
    const first = outcome(0);
    await new Promise((resolve) => setImmediate(resolve));
    const outcomes = await Promise.all([first, ...Array.from({ length: 10 }, (_, n) => outcome(n + 1))]);
    assert.deepEqual([...new Set(outcomes)], ['refused']);
    assert.equal(store.groups.length, 1, 'the queued requests were answered without trying the database again');
    await assert.rejects(committer.submit([event('ws_fail', 99)]), ServiceUnavailableError);
    await new Promise((resolve) => setTimeout(resolve, 250));
    await committer.submit([event('ws_fail', 100)]);
  });
});
