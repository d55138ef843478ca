// GET /api/session-log past the spec: filters in the URL, cursors, bad queries.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachEngine } from '../helpers/each-engine.js';
import { readPage, startApp, type RunningApp } from '../helpers/test-app.js';

await describeEachEngine('query API', (engine) => {
  let app: RunningApp;
  before(async () => {
    app = await startApp(await engine.createDatabase());
    const events = Array.from({ length: 25 }, (_, n) => ({
      sessionToken: n % 2 === 0 ? 'ws_even' : 'ws_odd',
      studentEmail: n % 2 === 0 ? 'Even@Example.com' : undefined,
      eventType: n % 5 === 0 ? 'error' : 'api_call',
      eventData: { n, status: n % 5 === 0 ? undefined : 200 + n * 10, error: { code: `E${n % 3}` } },
    }));
    assert.equal((await app.post({ events })).status, 200);
  });
  after(() => app.close());

  it('reads every page once with the cursor, in both orders', async () => {
    for (const order of ['asc', 'desc']) {
      const seen: number[] = [];
      let cursor = '';
      let pages = 0;
      for (let hasMore = true; hasMore; pages += 1) {
        const page = await readPage(await app.get(`order=${order}&limit=7${cursor === '' ? '' : `&cursor=${cursor}`}`));
        seen.push(...page.events.map((e) => Number(e.event_data.n)));
        cursor = page.nextCursor ?? '';
        hasMore = page.hasMore;
      }
      const expected = Array.from({ length: 25 }, (_, n) => n);
      assert.deepEqual(seen, order === 'asc' ? expected : expected.reverse());
      assert.equal(pages, 4);
    }
  });

  it('says when the page is the last, and gives the cursor to poll from', async () => {
    const page = await readPage(await app.get('limit=25&order=asc'));
    assert.equal(page.count, 25);
    assert.equal(page.hasMore, false);
    const later = await readPage(await app.get(`order=asc&cursor=${page.nextCursor ?? ''}`));
    assert.deepEqual([later.count, later.hasMore, later.nextCursor], [0, false, page.nextCursor]);
    await app.post({ sessionToken: 'ws_late', eventType: 'action', eventData: { n: 25 } });
    const arrived = await readPage(await app.get(`order=asc&cursor=${page.nextCursor ?? ''}`));
    assert.deepEqual(arrived.events.map((e) => e.event_data.n), [25]);
  });

  it('finds a student by email in any case', async () => {
    const page = await readPage(await app.get('studentEmail=EVEN@example.COM&limit=100'));
    assert.equal(page.count, 13);
    assert.ok(page.events.every((e) => e.student_email === 'even@example.com'));
  });

  it('filters on event_data from the URL', async () => {
    const failed = await readPage(await app.get('eventType=api_call&data.status=gte:400&data.status=lt:450'));
    assert.deepEqual(failed.events.map((e) => e.event_data.status), [440, 430, 420, 410]);
    const nested = await readPage(await app.get('data.error.code=E2&sessionToken=ws_even&order=asc'));
    assert.deepEqual(nested.events.map((e) => e.event_data.n), [2, 8, 14, 20]);
    const quoted = await readPage(await app.get('data.status=%22230%22'));
    assert.equal(quoted.count, 0, 'a quoted value is a string, and status is stored as a number');
    const number = await readPage(await app.get('data.status=230'));
    assert.deepEqual(number.events.map((e) => e.event_data.n), [3]);
  });

  it('refuses a mistyped operator, and matches text with a colon through eq: or quotes', async () => {
    assert.equal((await app.post({ sessionToken: 'ws_colon', eventType: 'action', eventData: { note: 'foo:400' } })).status, 200);
    const mistyped = await app.get('data.status=foo:400');
    assert.equal(mistyped.status, 400);
    assert.match(((await mistyped.json()) as { error: { message: string } }).error.message, /op one of eq, ne, gt, gte, lt, lte.*eq:<text>/);
    assert.deepEqual((await readPage(await app.get('data.note=eq:foo:400'))).events.map((e) => e.session_token), ['ws_colon']);
    assert.deepEqual((await readPage(await app.get('data.note=%22foo:400%22'))).events.map((e) => e.session_token), ['ws_colon']);
  });

  it('combines time bounds with other filters', async () => {
    const latest = await readPage(await app.get('sessionToken=ws_odd&limit=1'));
    const newest = latest.events[0]?.created_at ?? '';
    const page = await readPage(await app.get(`sessionToken=ws_odd&since=${encodeURIComponent(newest)}`));
    assert.ok(page.events.some((e) => e.event_id === latest.events[0]?.event_id));
    assert.ok(page.events.every((e) => e.session_token === 'ws_odd' && e.created_at >= newest));
    const none = await readPage(await app.get(`until=${encodeURIComponent('2000-01-01T00:00:00Z')}`));
    assert.equal(none.count, 0);
  });

  it('reads a bound past year 9999 or before year 0 as far away, not as text', async () => {
    const count = async (qs: string) => (await readPage(await app.get(`sessionToken=ws_odd&limit=100&${qs}`))).count;
    const all = await count('');
    assert.equal(await count(`since=${encodeURIComponent('9999-12-31T23:00:00-05:00')}`), 0);
    assert.equal(await count(`until=${encodeURIComponent('9999-12-31T23:00:00-05:00')}`), all);
    assert.equal(await count(`since=${encodeURIComponent('0000-01-01T00:00:00+01:00')}`), all);
    assert.equal(await count(`until=${encodeURIComponent('0000-01-01T00:00:00+01:00')}`), 0);
  });

  it('compares time bounds finer than a millisecond as they are written', async () => {
    const newest = (await readPage(await app.get('limit=1'))).events[0];
    assert.ok(newest !== undefined);
    const justAfter = newest.created_at.replace(/Z$/, '0001Z');
    const since = await readPage(await app.get(`since=${encodeURIComponent(justAfter)}`));
    assert.ok(!since.events.some((e) => e.event_id === newest.event_id), `since ${justAfter} keeps out ${newest.created_at}`);
    const until = await readPage(await app.get(`until=${encodeURIComponent(justAfter)}&limit=1`));
    assert.equal(until.events[0]?.event_id, newest.event_id, `until ${justAfter} keeps in ${newest.created_at}`);
  });

  it('compares a large integer as the double it is read back as', async () => {
    // Sent as text: a client's 19-digit id, which JSON readers take as the nearest double.
    await app.post('{"sessionToken":"ws_big","eventType":"api_call","eventData":{"orderId":1234567890123456789}}');
    const stored = (await readPage(await app.get('sessionToken=ws_big'))).events[0]?.event_data.orderId;
    assert.equal(stored, 1234567890123456800);
    const count = async (condition: string) => (await readPage(await app.get(`sessionToken=ws_big&data.orderId=${condition}`))).count;
    assert.deepEqual(
      [await count('1234567890123456800'), await count('1234567890123456789'), await count('ne:1234567890123456800'), await count('lte:1234567890123456789'), await count('gt:1234567890123456700')],
      [1, 1, 0, 1, 0],
    );
  });

  it('filters on text holding a line or paragraph separator', async () => {
    await app.post({ sessionToken: 'ws_separators', eventType: 'note', eventData: { text: 'line\u2028paragraph\u2029end' } });
    const page = await readPage(await app.get(`data.text=${encodeURIComponent('line\u2028paragraph\u2029end')}`));
    assert.deepEqual(page.events.map((e) => e.session_token), ['ws_separators']);
  });

  it('says what is wrong with one of several conditions on a field', async () => {
    const message = async (qs: string) => ((await (await app.get(qs)).json()) as { error: { message: string } }).error.message;
    assert.equal(
      await message('data.n=gt:1&data.n=gt:x'),
      'querystring/data.n/1 must be [op:]value with op one of eq, ne, gt, gte, lt, lte (gt, gte, lt and lte take a number); ' +
        'to match text that begins with a word and a colon, write eq:<text> or put it in double quotes',
    );
    assert.equal(await message('data.n=gt:1&data.n=gt:2&data.n=gt:3&data.n=gt:4&data.n=gt:5'), 'querystring/data.n takes at most 4 conditions');
  });

  const BAD_QUERIES: Array<[string, string]> = [
    ['limit=0', 'limit'],
    ['limit=1001', 'limit'],
    ['limit=abc', 'limit'],
    ['limit=1.5', 'limit'],
    ['since=yesterday', 'since'],
    ['until=2025-10-27', 'until'],
    ['order=sideways', 'order'],
    ['cursor=!!!', 'cursor'],
    ['cursor=bm90LWEtY3Vyc29y', 'cursor'],
    ['data.status=gt:abc', 'data.status'],
    ['data.=1', 'data.'],
    ['data.a-b=1', 'data.a-b'],
    ['sesionToken=ws_even', 'sesionToken'],
    ['sessionToken=', 'sessionToken'],
    ['sessionToken=ws_%00', 'sessionToken'],
    ['sessionToken=a&sessionToken=b', 'sessionToken'],
    ['studentEmail=nope', 'studentEmail'],
    ['since=2025-10-27T23:59:60Z', 'since'],
    ['data.x=%22%5Cu0000%22', 'data.x'],
    ['data.x=%22%5Cud800%22', 'data.x'],
    ['data.n=1e400', 'data.n'],
    ['data.n=gt:-1e400', 'data.n'],
    ['data.items.0.code=E42', 'data.items.0.code'],
  ];
  for (const [qs, named] of BAD_QUERIES) {
    it(`refuses ?${qs} with a 400 naming ${named}`, async () => {
      const response = await app.get(qs);
      assert.equal(response.status, 400);
      const body = (await response.json()) as { success: boolean; error: { code: string; message: string } };
      assert.equal(body.success, false);
      assert.ok(body.error.message.includes(named), body.error.message);
    });
  }

  it('refuses a cursor made for the other order', async () => {
    const first = await readPage(await app.get('order=asc&limit=5'));
    const response = await app.get(`order=desc&cursor=${first.nextCursor ?? ''}`);
    assert.equal(response.status, 400);
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'invalid_cursor');
  });
});
