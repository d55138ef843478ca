// Bad input gets a clear 4xx JSON error and stores nothing; hostile but valid input is
// stored and read back exactly. Same answers on every engine.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, it } from 'node:test';
import { describeEachEngine } from '../helpers/each-engine.js';
import { readPage, startApp, type RunningApp } from '../helpers/test-app.js';

const valid = { sessionToken: 'ws_valid', eventType: 'action', eventData: { actionName: 'x' } };

function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: true };
  for (let i = 1; i < depth; i += 1) value = { child: value };
  return value;
}

/** [what, raw body or object, expected status, content type] */
const REFUSED: Array<[string, unknown, number, string?]> = [
  ['malformed JSON', '{"sessionToken": "ws_1", ', 400],
  ['empty body', '', 400],
  ['a JSON array', '[]', 400],
  ['eventType as a number', { ...valid, eventType: 5 }, 400],
  ['eventType as an array', { ...valid, eventType: ['x'] }, 400],
  ['eventType over 50 characters', { ...valid, eventType: 'e'.repeat(51) }, 400],
  ['empty eventType', { ...valid, eventType: '' }, 400],
  ['missing sessionToken', { eventType: 'action', eventData: {} }, 400],
  ['empty sessionToken', { ...valid, sessionToken: '' }, 400],
  ['sessionToken over 256 characters', { ...valid, sessionToken: 't'.repeat(257) }, 400],
  ['sessionToken as a number', { ...valid, sessionToken: 123 }, 400],
  ['NUL in sessionToken', { ...valid, sessionToken: 'ws_\u0000' }, 400],
  ['missing eventData', { sessionToken: 'ws_1', eventType: 'action' }, 400],
  ['eventData as a string', { ...valid, eventData: 'x' }, 400],
  ['eventData as an array', { ...valid, eventData: [1] }, 400],
  ['an email that is not one', { ...valid, studentEmail: 'not-an-email' }, 400],
  ['an empty email', { ...valid, studentEmail: '' }, 400],
  ['studentName as a number', { ...valid, studentName: 7 }, 400],
  ['eventId that is not a UUID', { ...valid, eventId: 'abc' }, 400],
  ['eventId as a URN', { ...valid, eventId: 'urn:uuid:0190b6a4-3c1e-7d3a-9f2b-1a2b3c4d5e6f' }, 400],
  ['an unknown field', { ...valid, sesionToken: 'typo' }, 400],
  ['NUL in event data', { ...valid, eventData: { message: 'a\u0000b' } }, 400],
  ['NUL in an event data key', { ...valid, eventData: { 'a\u0000': 1 } }, 400],
  ['a lone surrogate', '{"sessionToken":"ws_1","eventType":"x","eventData":{"s":"\\ud800"}}', 400],
  ['a lone surrogate in the token', '{"sessionToken":"ws_\\udc00","eventType":"x","eventData":{}}', 400],
  ['__proto__ key', '{"sessionToken":"ws_1","eventType":"x","eventData":{"__proto__":{"admin":true}}}', 400],
  ['constructor.prototype key', '{"sessionToken":"ws_1","eventType":"x","eventData":{"constructor":{"prototype":{"a":1}}}}', 400],
  ['a number beyond double precision', '{"sessionToken":"ws_1","eventType":"x","eventData":{"n":1e400}}', 400],
  ['nesting deeper than 32 levels', { ...valid, eventData: nested(33) }, 400],
  ['absurd nesting', `{"sessionToken":"ws_1","eventType":"x","eventData":${'['.repeat(100_000)}${']'.repeat(100_000)}}`, 400],
  ['event data over 64 KB', { ...valid, eventData: { blob: 'x'.repeat(65 * 1024) } }, 413],
  ['a body over 1 MB', { events: [valid], pad: 'x'.repeat(1024 * 1024) }, 413],
  ['an unknown content type', JSON.stringify(valid), 415, 'application/xml'],
  ['a form body', 'sessionToken=ws_1', 415, 'application/x-www-form-urlencoded'],
  ['an empty batch', { events: [] }, 400],
  ['a batch over 500 events', { events: Array.from({ length: 501 }, () => valid) }, 400],
  ['a batch with one bad event', { events: [valid, { ...valid, eventType: 5 }, valid] }, 400],
];

/** Stored as sent and read back exactly. */
const KEPT: Array<[string, Record<string, unknown>]> = [
  ['SQL', { q: "'; DROP TABLE events; --", r: 'Robert"); DELETE FROM students;--' }],
  ['HTML', { html: '<img src=x onerror=alert(1)><script>alert(2)</script>' }],
  ['unicode', { emoji: '🧑‍🎓 👩🏽‍💻', rtl: 'مرحبا', zwj: 'a\u200db', combining: 'é' }],
  ['control characters other than NUL', { text: 'tab\there\nnew line \u0001 \u001f' }],
  ['prototype-like keys that are not dangerous', { proto: 1, prototype: { a: 1 }, constructor_: 'x', toString: 'y' }],
  ['numbers', { zero: 0, negative: -1.5, small: 5e-324, large: 1.7976931348623157e308, int: 9007199254740991 }],
  ['nesting at the limit', nested(32)],
  ['empty object and arrays', { empty: {}, list: [], mixed: [1, 'a', null, true, { b: [] }] }],
];

await describeEachEngine('ingest validation', (engine) => {
  let app: RunningApp;
  before(async () => {
    app = await startApp(await engine.createDatabase());
  });
  after(() => app.close());

  const storedCount = async () => (await readPage(await app.get('limit=1000'))).count;

  for (const [what, body, status, contentType] of REFUSED) {
    it(`refuses ${what} with ${status} and stores nothing`, async () => {
      const before = await storedCount();
      const response = await app.post(body, contentType === undefined ? {} : { 'content-type': contentType });
      assert.equal(response.status, status);
      const answer = (await response.json()) as { success: boolean; error: { code: string; message: string } };
      assert.equal(answer.success, false);
      assert.match(answer.error.code, /^[a-z_]+$/);
      assert.ok(answer.error.message.length > 0);
      assert.equal(await storedCount(), before);
    });
  }

  it('answers a request too malformed to parse in the same error shape', async () => {
    const { hostname, port } = new URL(app.url);
    const raw = (head: string) =>
      new Promise<string>((resolve, reject) => {
        let answer = '';
        const socket = net.connect(Number(port), hostname, () => socket.write(`${head}\r\n\r\n`));
        socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
        socket.on('close', () => resolve(answer));
        socket.on('error', reject);
      });
    const answer = await raw('POST /api/session-log HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: abc');
    assert.match(answer, /^HTTP\/1\.1 400 Bad Request\r\n/);
    assert.deepEqual(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)), { success: false, error: { code: 'bad_request', message: 'malformed HTTP request' } });
  });

  it('names the offending field in the message, and what is wrong with it', async () => {
    const message = async (body: unknown) => ((await (await app.post(body)).json()) as { error: { message: string } }).error.message;
    assert.equal(await message({ ...valid, eventType: 'e'.repeat(51) }), 'body/eventType must be 1-50 characters without control characters or unpaired surrogates');
    assert.equal(await message({ ...valid, eventType: 5 }), 'body/eventType must be string');
    assert.equal(await message({ events: [valid, { ...valid, eventType: 5 }] }), 'body/events/1/eventType must be string');
    assert.match(await message('{"sessionToken":"ws_x","eventType":"a","eventData":{"__proto__":{"admin":true}}}'), /"__proto__" key.*prototype poisoning/);
    assert.match(await message('{"sessionToken":"ws_x",'), /^the body is not valid JSON: /);
    assert.equal(await message(''), 'the body is empty: send a JSON object');
  });

  for (const [what, eventData] of KEPT) {
    it(`stores ${what} and reads it back exactly`, async () => {
      const sessionToken = `ws_kept_${what.replace(/\W+/g, '_')}`;
      const response = await app.post({ sessionToken, eventType: 'hostile', eventData });
      assert.equal(response.status, 200);
      const page = await readPage(await app.get(`sessionToken=${sessionToken}`));
      assert.deepEqual(page.events[0]?.event_data, eventData);
    });
  }

  it('keeps hostile session tokens and event types as text', async () => {
    const sessionToken = "ws_'; DROP TABLE events;-- <b>";
    const eventType = '<script>x</script>';
    assert.equal((await app.post({ sessionToken, eventType, eventData: {} })).status, 200);
    const page = await readPage(await app.get(`sessionToken=${encodeURIComponent(sessionToken)}`));
    assert.equal(page.events[0]?.session_token, sessionToken);
    assert.equal(page.events[0]?.event_type, eventType);
  });

  it('accepts a null email as an anonymous event', async () => {
    assert.equal((await app.post({ ...valid, sessionToken: 'ws_anon', studentEmail: null })).status, 200);
    const page = await readPage(await app.get('sessionToken=ws_anon'));
    assert.equal(page.events[0]?.student_email, null);
  });

  it('rounds integers beyond 2^53 as every JSON parser in JavaScript does', async () => {
    const raw = '{"sessionToken":"ws_big","eventType":"x","eventData":{"n":12345678901234567890}}';
    assert.equal((await app.post(raw)).status, 200);
    const page = await readPage(await app.get('sessionToken=ws_big'));
    assert.equal(page.events[0]?.event_data.n, Number('12345678901234567890'));
  });
});
