// Every storage case, on every engine, straight against the EventStore.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { EventQuery, EventStore, NewEvent } from '../../src/storage/types.js';
import { deleteStudent } from '../helpers/delete-student.js';
import { describeEachEngine } from '../helpers/each-engine.js';

const query = (q: Partial<EventQuery>): EventQuery => ({ dataFilters: [], order: 'desc', limit: 100, ...q });
const event = (sessionToken: string, eventData: Record<string, unknown> = {}, extra: Partial<NewEvent> = {}): NewEvent => ({
  sessionToken,
  eventType: 'action',
  eventData,
  ...extra,
});

await describeEachEngine('event store', (engine) => {
  let store: EventStore;
  before(async () => {
    store = await (await engine.createDatabase()).openStore();
  });
  after(() => store.close());

  it('migrating twice is a no-op', async () => {
    await store.migrate();
    await store.insertEvents([event('ws_migrate')]);
    assert.equal((await store.queryEvents(query({ sessionToken: 'ws_migrate' }))).length, 1);
  });

  it('links a session to its student from the event that first names them', async () => {
    await store.insertEvents([event('ws_link', { n: 1 })]);
    await store.insertEvents([event('ws_link', { n: 2 }, { studentEmail: 'ada@example.com', studentName: 'Ada' })]);
    await store.insertEvents([event('ws_link', { n: 3 })]);
    const events = await store.queryEvents(query({ sessionToken: 'ws_link', order: 'asc' }));
    assert.deepEqual(
      events.map((e) => [e.event_data.n, e.student_email, e.student_name]),
      [
        [1, null, null],
        [2, 'ada@example.com', 'Ada'],
        [3, 'ada@example.com', 'Ada'],
      ],
    );
    const byEmail = await store.queryEvents(query({ studentEmail: 'ada@example.com', order: 'asc' }));
    assert.deepEqual(byEmail.map((e) => e.event_data.n), [2, 3]);
  });

  it('links within one group in order, and keeps a name once given', async () => {
    await store.insertEvents([
      event('ws_group_link', { n: 1 }),
      event('ws_group_link', { n: 2 }, { studentEmail: 'grace@example.com', studentName: 'Grace' }),
      event('ws_group_link', { n: 3 }),
      event('ws_other', { n: 4 }, { studentEmail: 'grace@example.com' }),
    ]);
    const events = await store.queryEvents(query({ studentEmail: 'grace@example.com', order: 'asc' }));
    assert.deepEqual(events.map((e) => [e.event_data.n, e.student_name]), [
      [2, 'Grace'],
      [3, 'Grace'],
      [4, 'Grace'],
    ]);
    const first = await store.queryEvents(query({ sessionToken: 'ws_group_link', order: 'asc', limit: 1 }));
    assert.equal(first[0]?.student_email, null);
  });

  it('updates a student name when a new one is given', async () => {
    await store.insertEvents([event('ws_rename', {}, { studentEmail: 'lin@example.com', studentName: 'Lin' })]);
    await store.insertEvents([event('ws_rename', {}, { studentEmail: 'lin@example.com', studentName: 'Lin Chen' })]);
    const events = await store.queryEvents(query({ studentEmail: 'lin@example.com' }));
    assert.deepEqual(events.map((e) => e.student_name), ['Lin Chen', 'Lin Chen']);
  });

  it('stores an event id once, across calls and within one call', async () => {
    const eventId = '0190b6a4-3c1e-7d3a-9f2b-1a2b3c4d5e6f';
    await store.insertEvents([event('ws_idem', { n: 1 }, { eventId }), event('ws_idem', { n: 1 }, { eventId })]);
    await store.insertEvents([event('ws_idem', { n: 1 }, { eventId }), event('ws_idem', { n: 2 })]);
    const events = await store.queryEvents(query({ sessionToken: 'ws_idem', order: 'asc' }));
    assert.deepEqual(events.map((e) => e.event_data.n), [1, 2]);
  });

  it('filters by type, session, email and combinations', async () => {
    await store.insertEvents([
      event('ws_f1', {}, { eventType: 'error', studentEmail: 'f@example.com' }),
      event('ws_f1', {}, { eventType: 'navigation' }),
      event('ws_f2', {}, { eventType: 'error' }),
    ]);
    const errors = await store.queryEvents(query({ eventType: 'error' }));
    assert.deepEqual(errors.map((e) => e.session_token).filter((t) => t.startsWith('ws_f')), ['ws_f2', 'ws_f1']);
    const combined = await store.queryEvents(query({ sessionToken: 'ws_f1', eventType: 'navigation' }));
    assert.equal(combined.length, 1);
    const emailAndType = await store.queryEvents(query({ studentEmail: 'f@example.com', eventType: 'navigation' }));
    assert.equal(emailAndType.length, 1, 'the session is linked, so its later event counts');
    assert.deepEqual(await store.queryEvents(query({ studentEmail: 'nobody@example.com' })), []);
  });

  it('orders newest first by default, oldest first on request, and pages by event id', async () => {
    await store.insertEvents([1, 2, 3, 4, 5].map((n) => event('ws_order', { n })));
    const desc = await store.queryEvents(query({ sessionToken: 'ws_order' }));
    assert.deepEqual(desc.map((e) => e.event_data.n), [5, 4, 3, 2, 1]);
    const asc = await store.queryEvents(query({ sessionToken: 'ws_order', order: 'asc', limit: 2 }));
    assert.deepEqual(asc.map((e) => e.event_data.n), [1, 2]);
    const next = await store.queryEvents(
      query({ sessionToken: 'ws_order', order: 'asc', limit: 2, afterEventId: asc[1]?.event_id }),
    );
    assert.deepEqual(next.map((e) => e.event_data.n), [3, 4]);
    const older = await store.queryEvents(query({ sessionToken: 'ws_order', afterEventId: desc[1]?.event_id }));
    assert.deepEqual(older.map((e) => e.event_data.n), [3, 2, 1]);
  });

  it('bounds by time: since inclusive, until exclusive', async () => {
    await store.insertEvents([event('ws_time', { n: 1 })]);
    const [first] = await store.queryEvents(query({ sessionToken: 'ws_time' }));
    assert.ok(first !== undefined);
    await new Promise((resolve) => setTimeout(resolve, 15));
    await store.insertEvents([event('ws_time', { n: 2 })]);
    const at = new Date(first.created_at);
    const since = await store.queryEvents(query({ sessionToken: 'ws_time', since: at }));
    assert.deepEqual(since.map((e) => e.event_data.n), [2, 1]);
    const until = await store.queryEvents(query({ sessionToken: 'ws_time', until: at }));
    assert.deepEqual(until, []);
    const after = await store.queryEvents(query({ sessionToken: 'ws_time', since: new Date(at.getTime() + 1) }));
    assert.deepEqual(after.map((e) => e.event_data.n), [2]);
  });

  it('filters on event_data with JSON types', async () => {
    await store.insertEvents([
      event('ws_data', { status: 200, errorType: 'none', ok: true }),
      event('ws_data', { status: 404, errorType: 'openai_validation_failed', ok: false }),
      event('ws_data', { status: 503.5, error: { code: 'E42' }, ok: null }),
      event('ws_data', { status: '500', note: 'status as text' }),
      event('ws_data', {}),
    ]);
    const run = async (path: string[], op: EventQuery['dataFilters'][number]['op'], value: string | number | boolean | null) =>
      (await store.queryEvents(query({ sessionToken: 'ws_data', order: 'asc', dataFilters: [{ path, op, value }] }))).map(
        (e) => e.event_data.status ?? 'missing',
      );
    assert.deepEqual(await run(['status'], 'gte', 400), [404, 503.5]);
    assert.deepEqual(await run(['status'], 'lt', 404), [200]);
    assert.deepEqual(await run(['status'], 'gt', 404), [503.5]);
    assert.deepEqual(await run(['status'], 'lte', 404), [200, 404]);
    assert.deepEqual(await run(['status'], 'eq', 404), [404]);
    assert.deepEqual(await run(['status'], 'eq', '500'), ['500']);
    assert.deepEqual(await run(['status'], 'eq', 500), []);
    assert.deepEqual(await run(['status'], 'ne', 200), [404, 503.5, '500']);
    assert.deepEqual(await run(['errorType'], 'eq', 'openai_validation_failed'), [404]);
    assert.deepEqual(await run(['errorType'], 'ne', 'none'), [404]);
    assert.deepEqual(await run(['ok'], 'eq', true), [200]);
    assert.deepEqual(await run(['ok'], 'eq', false), [404]);
    assert.deepEqual(await run(['ok'], 'eq', null), [503.5]);
    assert.deepEqual(await run(['error', 'code'], 'eq', 'E42'), [503.5]);
    assert.deepEqual(await run(['missing'], 'eq', null), []);
  });

  it('ANDs several data filters into a range', async () => {
    const dataFilters = [
      { path: ['status'], op: 'gte' as const, value: 400 },
      { path: ['status'], op: 'lt' as const, value: 500 },
    ];
    const events = await store.queryEvents(query({ sessionToken: 'ws_data', dataFilters }));
    assert.deepEqual(events.map((e) => e.event_data.status), [404]);
  });

  it('answers a trivial query when healthy', async () => {
    await store.ping();
  });
});

await describeEachEngine('event store after a student is deleted', (engine) => {
  let database: Awaited<ReturnType<typeof engine.createDatabase>>;
  let store: EventStore;
  before(async () => {
    database = await engine.createDatabase();
    store = await database.openStore();
  });
  after(() => store.close());

  it('stores the student’s next events, though it remembered them', async () => {
    await store.insertEvents([event('ws_gone', { n: 1 }, { studentEmail: 'gone@example.com' })]);
    await deleteStudent(database.url, 'gone@example.com');
    await store.insertEvents([event('ws_gone', { n: 2 }, { studentEmail: 'gone@example.com' })]);
    await store.insertEvents([event('ws_gone', { n: 3 })]);
    const events = await store.queryEvents(query({ sessionToken: 'ws_gone', order: 'asc' }));
    assert.deepEqual(events.map((e) => [e.event_data.n, e.student_email]), [
      [2, 'gone@example.com'],
      [3, 'gone@example.com'],
    ]);
  });
});

await describeEachEngine('closing the event store', (engine) => {
  it('commits the writes sent before close, and refuses writes after it', async () => {
    const database = await engine.createDatabase();
    const store = await database.openStore();
    const writes = Array.from({ length: 5 }, (_, n) => store.insertEvents([event('ws_closing', { n })]));
    const closed = store.close();
    await Promise.all(writes);
    await closed;
    await assert.rejects(store.insertEvents([event('ws_closing', { n: 99 })]));

    const reopened = await database.openStore();
    const events = await reopened.queryEvents(query({ sessionToken: 'ws_closing', order: 'asc' }));
    await reopened.close();
    // Concurrent calls are not ordered among themselves (the committer orders requests).
    assert.deepEqual(events.map((e) => Number(e.event_data.n)).sort(), [0, 1, 2, 3, 4]);
  });
});
