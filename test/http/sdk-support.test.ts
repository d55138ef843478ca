// What the service does for the browser SDK (and for any other client): beacon-style
// text/plain bodies, sequence numbers, secrets scrubbed on ingest, the SDK file itself.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, it } from 'node:test';
import { describeEachEngine } from '../helpers/each-engine.js';
import { readPage, startApp, type RunningApp } from '../helpers/test-app.js';

await describeEachEngine('SDK support', (engine) => {
  let app: RunningApp;
  before(async () => {
    app = await startApp(await engine.createDatabase());
  });
  after(() => app.close());

  it('takes a batch sent as text/plain, as navigator.sendBeacon sends it', async () => {
    const body = { events: [{ sessionToken: 'ws_beacon', eventType: 'action', eventData: { n: 1 } }] };
    const response = await app.post(body, { 'content-type': 'text/plain;charset=UTF-8' });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    const page = await readPage(await app.get('sessionToken=ws_beacon'));
    assert.deepEqual(page.events.map((e) => e.event_data), [{ n: 1 }]);
  });

  it('refuses a text/plain body that is not the JSON it must carry, and stores nothing', async () => {
    const stored = async () => (await readPage(await app.get('limit=1000'))).count;
    const storedBefore = await stored();
    for (const body of ['hello', '{"sessionToken":', '']) {
      const response = await app.post(body, { 'content-type': 'text/plain' });
      assert.equal(response.status, 400, body);
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'invalid_json');
    }
    const response = await app.post('{"sessionToken":"ws_x","eventType":"action","eventData":{}}', { 'content-type': 'text/html' });
    assert.equal(response.status, 415);
    assert.equal(await stored(), storedBefore);
  });

  it('stores each event’s sequence number and returns it', async () => {
    const batch = [3, 0, 1].map((seq) => ({ sessionToken: 'ws_seq', eventType: 'action', eventData: {}, seq }));
    assert.equal((await app.post({ events: batch })).status, 200);
    assert.equal((await app.post({ sessionToken: 'ws_seq', eventType: 'action', eventData: {} })).status, 200);
    const page = await readPage(await app.get('sessionToken=ws_seq&order=asc'));
    assert.deepEqual(page.events.map((e) => e.seq), [3, 0, 1, null]);
    for (const seq of [-1, 1.5, '2', 2 ** 31]) {
      const response = await app.post({ sessionToken: 'ws_seq', eventType: 'action', eventData: {}, seq });
      assert.equal(response.status, 400, String(seq));
    }
  });

  it('takes an eventId in its 32-digit form (the SDK’s) as the same id as with dashes', async () => {
    const send = (eventId: string) => app.post({ sessionToken: 'ws_bare_id', eventType: 'action', eventData: {}, eventId });
    for (const eventId of ['0190B6A43C1E7D3A9F2B1A2B3C4D5E6F', '0190b6a4-3c1e-7d3a-9f2b-1a2b3c4d5e6f', '0190b6a43c1e7d3a9f2b1a2b3c4d5e6f']) {
      assert.equal((await send(eventId)).status, 200, eventId);
    }
    assert.equal((await readPage(await app.get('sessionToken=ws_bare_id'))).count, 1);
    for (const eventId of ['0190b6a43c1e7d3a9f2b1a2b3c4d5e6', '0190b6a4-3c1e7d3a9f2b1a2b3c4d5e6f', '0190b6a43c1e7d3a9f2b1a2b3c4d5e6fa']) {
      assert.equal((await send(eventId)).status, 400, eventId);
    }
  });

  it('scrubs secrets from events of any client with the SDK’s rules', async () => {
    const eventData = {
      errorMessage: 'Incorrect API key provided: sk-proj-AbCdEfGhIjKlMnOpQrStUvWx0123',
      request: { headers: { authorization: 'Bearer abcdefghijklmnop' }, authToken: 'x' },
      list: ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2ln', 'fine'],
      masked: 'sk-proj-****abcd',
      sessionToken: 'ws_kept',
    };
    assert.equal((await app.post({ sessionToken: 'ws_scrub', eventType: 'error', eventData })).status, 200);
    const [event] = (await readPage(await app.get('sessionToken=ws_scrub'))).events;
    assert.deepEqual(event?.event_data, {
      errorMessage: 'Incorrect API key provided: [redacted]',
      request: { headers: { authorization: '[redacted]' }, authToken: '[redacted]' },
      list: ['[redacted]', 'fine'],
      masked: 'sk-proj-****abcd',
      sessionToken: 'ws_kept',
    });
  });

  it('serves /sdk.js to any origin, cacheable, with an ETag that is its integrity hash', async () => {
    const response = await fetch(`${app.url}/sdk.js`, { headers: { origin: 'https://workshop.example' } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    assert.match(response.headers.get('cache-control') ?? '', /public/);
    const body = Buffer.from(await response.arrayBuffer());
    const integrity = `sha384-${createHash('sha384').update(body).digest('base64')}`;
    assert.equal(response.headers.get('etag'), `"${integrity}"`);
    assert.match(body.toString(), /logNavigation/);
    const again = await fetch(`${app.url}/sdk.js`, { headers: { 'if-none-match': `"${integrity}"` } });
    assert.equal(again.status, 304);
    assert.equal((await fetch(`${app.url}/sdk-capture.js`)).status, 200);
  });
});
