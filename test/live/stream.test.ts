// The live tail against the real service on each engine: SSE and WebSocket, filters,
// resuming, heartbeats, refusals, the cap and a slow subscriber.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, it } from 'node:test';
import { describeEachEngine } from '../helpers/each-engine.js';
import { openSse, openWebSocket, receivedEvents, type LiveMessage } from '../helpers/live-clients.js';
import { ADMIN_TOKEN, readPage, startApp, type RunningApp } from '../helpers/test-app.js';
import type { TestDatabase } from '../helpers/engines.js';
import { stalledReader } from '../helpers/stalled-reader.js';

const isEvent = (m: LiveMessage) => m.type === 'event';
const asc = (id: number) => Buffer.from(`asc:${id}`).toString('base64url');

await describeEachEngine('live stream', (engine) => {
  let database: TestDatabase;
  let app: RunningApp;
  before(async () => {
    database = await engine.createDatabase();
    app = await startApp(database, { live: { heartbeatMs: 200 } });
  });
  after(() => app.close());

  const post = async (sessionToken: string, eventType: string, eventData: Record<string, unknown>, studentEmail?: string) => {
    const response = await app.post({ sessionToken, eventType, eventData, studentEmail });
    assert.equal(response.status, 200);
  };

  it('sends the events a GET with the same filters would return, as they are stored (SSE)', async () => {
    const stream = await openSse(app.url, 'eventType=error&data.statusCode=gte:500');
    await stream.waitFor((m) => m.type === 'ready');
    await post('ws_sse_a', 'error', { errorType: 'deploy_failed', statusCode: 500 });
    await post('ws_sse_a', 'error', { errorType: 'not_found', statusCode: 404 });
    await post('ws_sse_a', 'action', { actionName: 'retry', statusCode: 500 });
    await post('ws_sse_b', 'error', { errorType: 'openai_validation_failed', statusCode: 503 }, 'Ada@Example.edu');
    await stream.waitFor(isEvent, 2);
    await sleep(200);
    stream.close();

    const expected = await readPage(await app.get('eventType=error&data.statusCode=gte:500&order=asc'));
    assert.deepEqual(receivedEvents(stream), expected.events);
    assert.deepEqual(receivedEvents(stream).map((e) => [e.session_token, e.event_data.statusCode, e.student_email]), [
      ['ws_sse_a', 500, null],
      ['ws_sse_b', 503, 'ada@example.edu'],
    ]);
  });

  it('subscribes, receives and unsubscribes over a WebSocket, with heartbeats', async () => {
    const { client, send } = await openWebSocket(app.url);
    send({ type: 'subscribe', filters: { sessionToken: 'ws_socket', 'data.n': ['gte:2', 'lt:4'] } });
    await client.waitFor((m) => m.type === 'ready');
    for (const n of [1, 2, 3, 4]) await post('ws_socket', 'action', { n });
    await post('ws_other', 'action', { n: 3 });
    await client.waitFor(isEvent, 2);
    await client.waitFor((m) => m.type === 'heartbeat');
    send({ type: 'unsubscribe' });
    await client.waitFor((m) => m.type === 'unsubscribed');
    await post('ws_socket', 'action', { n: 3 });
    await sleep(300);
    assert.deepEqual(receivedEvents(client).map((e) => e.event_data.n), [2, 3]);
    client.close();
  });

  it('answers a bad WebSocket message with an error message and keeps the socket open', async () => {
    const { client, send, socket } = await openWebSocket(app.url);
    send({ type: 'subscribe', filters: { 'data.status': 'gte:abc' } });
    send({ type: 'subscribe', filters: { sesionToken: 'ws_typo' } });
    socket.send('not json');
    send({ type: 'subscribe', cursor: Buffer.from('desc:5').toString('base64url') });
    const errors = await client.waitFor((m) => m.type === 'error', 4);
    assert.deepEqual(errors.map((m) => m.error?.code), ['invalid_request', 'invalid_request', 'invalid_json', 'invalid_cursor']);
    assert.match(errors[0]!.error!.message, /^message\/filters\/data\.status must be \[op:\]value/);
    assert.match(errors[1]!.error!.message, /must NOT have additional properties: sesionToken/);
    send({ type: 'subscribe', filters: { sessionToken: 'ws_after_errors' } });
    await client.waitFor((m) => m.type === 'ready');
    await post('ws_after_errors', 'action', {});
    await client.waitFor(isEvent);
    client.close();
  });

  it('refuses a bad filter, a newest-first cursor and a missing credential before the stream opens', async () => {
    const get = (query: string, headers: Record<string, string> = { authorization: `Bearer ${ADMIN_TOKEN}` }) =>
      fetch(`${app.url}/api/session-log/stream?${query}`, { headers });
    const badFilter = await get('data.status=gte:abc');
    assert.equal(badFilter.status, 400);
    assert.equal(((await badFilter.json()) as { error: { code: string } }).error.code, 'invalid_request');
    const descCursor = await get(`cursor=${Buffer.from('desc:5').toString('base64url')}`);
    assert.equal(descCursor.status, 400);
    assert.equal(((await descCursor.json()) as { error: { code: string } }).error.code, 'invalid_cursor');
    assert.equal((await get('', {})).status, 401);
    await assert.rejects(openWebSocket(app.url, {}), /upgrade refused: 401/);
    await assert.rejects(openWebSocket(app.url, { authorization: `Bearer ${ADMIN_TOKEN}`, origin: 'https://evil.example' }), /upgrade refused: 403/);
  });

  it('resumes after Last-Event-ID with nothing missed and nothing twice while events keep arriving', async () => {
    const total = 120;
    const writing = (async () => {
      for (let n = 0; n < total; n += 1) await post(`ws_resume_${n % 7}`, 'resume_test', { n });
    })();
    const received: number[] = [];
    let lastEventId: string | undefined;
    for (let connection = 0; received.length < total; connection += 1) {
      const stream = await openSse(app.url, 'eventType=resume_test', lastEventId === undefined ? {} : { 'last-event-id': lastEventId });
      // Each connection takes a few events (more on the last ones), then drops.
      await stream.waitFor(isEvent, Math.min(5 + connection * 5, total - received.length), 15_000);
      stream.close();
      const got = stream.messages.filter(isEvent);
      received.push(...got.map((m) => m.event!.event_data.n as number));
      lastEventId = got.at(-1)?.cursor ?? lastEventId;
      if (connection === 0) assert.equal(received[0], 0, 'the first connection started before the first event');
    }
    await writing;
    assert.deepEqual(received, Array.from({ length: total }, (_, n) => n));
  });

  it('resumes from the cursor of a GET page (oldest first)', async () => {
    await post('ws_paged', 'action', { n: 1 });
    const page = await readPage(await app.get('sessionToken=ws_paged&order=asc'));
    await post('ws_paged', 'action', { n: 2 });
    const stream = await openSse(app.url, `sessionToken=ws_paged&cursor=${page.nextCursor ?? ''}`);
    await post('ws_paged', 'action', { n: 3 });
    await stream.waitFor(isEvent, 2);
    await sleep(100);
    stream.close();
    assert.deepEqual(receivedEvents(stream).map((e) => e.event_data.n), [2, 3]);
  });

  it('cuts off a subscriber too slow to keep up, while the others go on', async () => {
    const limited = await startApp(database, { live: { maxPending: 20 } });
    try {
      const slow = stalledReader(limited.url, '/api/session-log/stream?sessionToken=ws_flood');
      await slow.connected;
      const fast = await openSse(limited.url, 'sessionToken=ws_flood');
      await fast.waitFor((m) => m.type === 'ready');
      // 9 MB: more than the kernel buffers between the server and a reader that stopped.
      const total = 150;
      const large = 'x'.repeat(60_000);
      for (let n = 0; n < total; n += 1) {
        assert.equal((await limited.post({ sessionToken: 'ws_flood', eventType: 'action', eventData: { n, large } })).status, 200);
      }
      await fast.waitFor(isEvent, total, 30_000);
      assert.deepEqual(receivedEvents(fast).map((e) => e.event_data.n), Array.from({ length: total }, (_, i) => i));
      fast.close();
      const reading = await slow.resume();
      assert.ok(reading.closedByServer, `the server closed the connection of the slow reader (${JSON.stringify(reading)})`);
      assert.ok(reading.events < total, `the slow reader was cut off (it got ${reading.events} of ${total})`);
    } finally {
      await limited.close();
    }
  });

  it('refuses live connections past the instance cap with a 503', async () => {
    const capped = await startApp(database, { live: { maxSubscribers: 1 } });
    try {
      const first = await openSse(capped.url);
      const second = await fetch(`${capped.url}/api/session-log/stream`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      assert.equal(second.status, 503);
      assert.ok(second.headers.get('retry-after'));
      await assert.rejects(openWebSocket(capped.url), /upgrade refused: 503/);
      const plain = await fetch(`${capped.url}/api/session-log/ws`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      assert.equal(plain.status, 426, 'a plain GET takes no connection slot');
      first.close();
      await first.ended();
      await sleep(100);
      const third = await openSse(capped.url);
      third.close();
    } finally {
      await capped.close();
    }
  });

  it('ends open streams with a last message when the service shuts down', async () => {
    const closing = await startApp(database);
    const stream = await openSse(closing.url);
    await stream.waitFor((m) => m.type === 'ready');
    await closing.close();
    await stream.ended();
    assert.equal(stream.messages.at(-1)?.error?.code, 'shutting_down');
  });
});

await describeEachEngine('live stream: the cursor in the stream', (engine) => {
  let app: RunningApp;
  before(async () => {
    app = await startApp(await engine.createDatabase());
  });
  after(() => app.close());

  it('resumes a stream opened on an empty log from its ready cursor', async () => {
    const empty = await startApp(await engine.createDatabase());
    try {
      const first = await openSse(empty.url);
      const [ready] = await first.waitFor((m) => m.type === 'ready');
      first.close();
      await empty.post({ sessionToken: 'ws_first', eventType: 'action', eventData: {} });
      const resumed = await openSse(empty.url, '', { 'last-event-id': ready!.cursor! });
      await resumed.waitFor(isEvent);
      resumed.close();
      assert.deepEqual(receivedEvents(resumed).map((e) => e.session_token), ['ws_first']);
    } finally {
      await empty.close();
    }
  });

  it('gives each event the cursor GET would give after it, and starts at the log end', async () => {
    await app.post({ sessionToken: 'ws_c', eventType: 'action', eventData: { n: 1 } });
    const stream = await openSse(app.url);
    const [ready] = await stream.waitFor((m) => m.type === 'ready');
    await app.post({ sessionToken: 'ws_c', eventType: 'action', eventData: { n: 2 } });
    const [event] = await stream.waitFor(isEvent);
    stream.close();
    const page = await readPage(await app.get('order=asc'));
    assert.equal(ready?.cursor, asc(page.events[0]!.event_id));
    assert.equal(event?.cursor, asc(page.events[1]!.event_id));
    assert.equal(event?.cursor, page.nextCursor);
  });
});
