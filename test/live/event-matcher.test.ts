// matchesFilter decides in memory what the SQL read returns: checked against both engines.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { matchesFilter, type EventFilter } from '../../src/live/event-matcher.js';
import type { ComparisonOperator, DataFilter, EventStore, JsonScalar, NewEvent, StoredEvent } from '../../src/storage/types.js';
import { describeEachEngine } from '../helpers/each-engine.js';

const on = (path: string, op: ComparisonOperator, value: JsonScalar): DataFilter => ({ path: path.split('.'), op, value });
const where = (...dataFilters: DataFilter[]): EventFilter => ({ dataFilters });

/** Every kind of value a filter must tell apart, each in an event of its own. */
const DATA: ReadonlyArray<Record<string, unknown>> = [
  { status: 400, ok: false },
  { status: '400' },
  { status: 404.5 },
  { status: 500 },
  { status: -1 },
  { status: null },
  { status: true },
  { status: 'true' },
  { status: { code: 400 } },
  { status: [400] },
  {},
  { error: { code: 'E42', detail: { retry: 3, fatal: null } } },
  { error: { code: 42 } },
  { error: { code: '42' } },
  { error: { code: null } },
  { error: 'E42' },
  { error: [{ code: 'E42' }] },
  { error: null },
  { tags: ['E42', 400] },
  // Stored JSON numbers are doubles: these two are one value, 1234567890123456768.
  { big: Number('1234567890123456789') },
  { big: 1234567890123456800 },
  { big: 2 ** 53 + 2 },
  // Past 64-bit integers: SQLite reads these as reals, PostgreSQL as exact numerics.
  { big: 2 ** 63 },
  { big: -(2 ** 63) },
  { big: 1e21 },
  { big: Number.MAX_VALUE },
  { big: Number.MIN_VALUE },
  { zero: -0 },
  { zero: 0 },
  { zero: '-0' },
  { zero: '0' },
  { success: false },
  { success: 'false' },
  { success: true },
  { name: '' },
  { name: '400 ' },
  { name: 'E42' },
  { name: 'Ünïcödé ✓' },
  { ratio: 0.1 + 0.2 },
  { ratio: 0.3 },
  { toString: 'own' },
];

/** Four sessions: two students, one anonymous, one identified halfway (its earlier events stay anonymous). */
function newEvent(eventData: Record<string, unknown>, i: number): NewEvent {
  const session = i % 4;
  const emails = ['ada@example.com', 'grace@example.com', undefined, i >= DATA.length / 2 ? 'lin@example.com' : undefined];
  const eventType = ['api_call', 'error', 'navigation'][i % 3] ?? 'action';
  return { sessionToken: `ws_${session}`, eventType, eventData, studentEmail: emails[session] };
}

const QUERIES: Array<[string, EventFilter]> = [
  ['no condition', where()],
  ['a session', { sessionToken: 'ws_1', dataFilters: [] }],
  ['a session compares exactly', { sessionToken: 'WS_1', dataFilters: [] }],
  ['an unknown session', { sessionToken: 'ws_9', dataFilters: [] }],
  ['a student', { studentEmail: 'ada@example.com', dataFilters: [] }],
  ['a student identified halfway', { studentEmail: 'lin@example.com', dataFilters: [] }],
  ['an email not lower-cased (toEventQuery never passes one)', { studentEmail: 'Ada@example.com', dataFilters: [] }],
  ['a type', { eventType: 'error', dataFilters: [] }],
  ['a type within a session', { sessionToken: 'ws_0', eventType: 'navigation', dataFilters: [] }],
  [
    'session, student, type and data',
    { sessionToken: 'ws_1', studentEmail: 'grace@example.com', eventType: 'error', dataFilters: [on('status', 'ne', null)] },
  ],
  ['eq a number', where(on('status', 'eq', 400))],
  ['eq a string that looks like a number', where(on('status', 'eq', '400'))],
  ['ne a number', where(on('status', 'ne', 400))],
  ['gt', where(on('status', 'gt', 400))],
  ['gte', where(on('status', 'gte', 400))],
  ['lt', where(on('status', 'lt', 500))],
  ['lte', where(on('status', 'lte', -1))],
  ['a 4xx range', where(on('status', 'gte', 400), on('status', 'lt', 500))],
  ['an empty range', where(on('status', 'gt', 500), on('status', 'lt', 400))],
  ['eq null: a present JSON null only', where(on('status', 'eq', null))],
  ['ne null: present and not null', where(on('status', 'ne', null))],
  ['eq true, not "true"', where(on('status', 'eq', true))],
  ['eq "true", not true', where(on('status', 'eq', 'true'))],
  ['a nested field', where(on('error.code', 'eq', 'E42'))],
  ['a nested number, not its string', where(on('error.code', 'eq', 42))],
  ['ne on a nested field: absent under a scalar or array', where(on('error.code', 'ne', 'E42'))],
  ['eq null on a nested field', where(on('error.code', 'eq', null))],
  ['three levels deep', where(on('error.detail.retry', 'gte', 3))],
  ['a null three levels deep', where(on('error.detail.fatal', 'eq', null))],
  ['an object is present', where(on('error', 'ne', null))],
  ['a path through an array is absent', where(on('status.code', 'eq', 400))],
  ["an array's length is no field", where(on('tags.length', 'eq', 2))],
  ['a large integer as its double', where(on('big', 'eq', Number('1234567890123456789')))],
  ['2^63, past 64-bit integers', where(on('big', 'eq', 2 ** 63))],
  ['gt 2^53', where(on('big', 'gt', 2 ** 53))],
  ['lt -2^62', where(on('big', 'lt', -(2 ** 62)))],
  ['the largest double', where(on('big', 'gte', Number.MAX_VALUE))],
  ['the smallest double', where(on('big', 'eq', Number.MIN_VALUE), on('big', 'gt', 0))],
  ['eq 0 matches -0', where(on('zero', 'eq', 0))],
  ['eq -0 matches 0', where(on('zero', 'eq', -0))],
  ['eq "-0", a string', where(on('zero', 'eq', '-0'))],
  ['gt -0', where(on('zero', 'gt', -0))],
  ['lt 0', where(on('zero', 'lt', 0))],
  ['eq false', where(on('success', 'eq', false))],
  ['ne false', where(on('success', 'ne', false))],
  ['eq "false"', where(on('success', 'eq', 'false'))],
  ['eq the empty string', where(on('name', 'eq', ''))],
  ['a string with a trailing space', where(on('name', 'eq', '400 '))],
  ['a non-ASCII string', where(on('name', 'eq', 'Ünïcödé ✓'))],
  ['0.1 + 0.2 is not 0.3', where(on('ratio', 'eq', 0.3))],
  ['gt 0.3', where(on('ratio', 'gt', 0.3))],
  ['a missing field never matches eq null', where(on('missing', 'eq', null))],
  ['a missing field never matches ne', where(on('missing', 'ne', null))],
  ['an own key named like a prototype member', where(on('toString', 'eq', 'own'))],
  ['a prototype member is no field', where(on('constructor', 'ne', null))],
];

const PATHS = [
  'status', 'ok', 'error', 'error.code', 'error.detail', 'error.detail.fatal',
  'big', 'zero', 'success', 'name', 'ratio', 'tags', 'missing',
];
const VALUES: JsonScalar[] = [
  400, 404.5, -1, 42, 0, -0, 0.3, 2 ** 63, Number('1234567890123456789'), 1e21,
  '400', '-0', 'true', 'false', 'E42', '',
  null, true, false,
];
const OPERATORS: ComparisonOperator[] = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte'];

/** Every path with every value and operator the query API can produce (gt, gte, lt and lte take numbers). */
const SWEEP: DataFilter[] = PATHS.flatMap((path) =>
  VALUES.flatMap((value) =>
    OPERATORS.filter((op) => op === 'eq' || op === 'ne' || typeof value === 'number').map((op) => on(path, op, value)),
  ),
);

await describeEachEngine('matchesFilter agrees with the SQL read', (engine) => {
  let store: EventStore;
  let stored: StoredEvent[];
  const read = async (filter: EventFilter) =>
    (await store.queryEvents({ ...filter, order: 'asc', limit: 1000 })).map((e) => e.event_id);
  const matched = (filter: EventFilter) => stored.filter((event) => matchesFilter(event, filter)).map((e) => e.event_id);

  before(async () => {
    store = await (await engine.createDatabase()).openStore();
    await store.insertEvents(DATA.map(newEvent));
    stored = await store.queryEvents({ dataFilters: [], order: 'asc', limit: 1000 });
    assert.equal(stored.length, DATA.length);
  });
  after(() => store.close());

  for (const [title, filter] of QUERIES) {
    it(title, async () => {
      assert.deepEqual(matched(filter), await read(filter));
    });
  }

  it(`every path, value and operator (${SWEEP.length} conditions)`, async () => {
    const disagreements: string[] = [];
    for (const condition of SWEEP) {
      const filter = where(condition);
      const [sql, memory] = [await read(filter), matched(filter)];
      if (sql.join() !== memory.join()) disagreements.push(`${JSON.stringify(condition)}: SQL [${sql.join()}], memory [${memory.join()}]`);
    }
    assert.deepEqual(disagreements, []);
  });
});

describe('matchesFilter', () => {
  const event = (eventData: Record<string, unknown>, extra: Partial<StoredEvent> = {}): StoredEvent => ({
    event_id: 1,
    session_token: 'ws_1',
    event_type: 'api_call',
    event_data: eventData,
    created_at: '2026-01-01T00:00:00.000Z',
    student_email: 'ada@example.com',
    student_name: 'Ada',
    seq: null,
    ...extra,
  });

  it('needs every given field to match, and ignores the ones not given', () => {
    assert.equal(matchesFilter(event({}), where()), true);
    const all = { sessionToken: 'ws_1', studentEmail: 'ada@example.com', eventType: 'api_call', dataFilters: [] };
    assert.equal(matchesFilter(event({}), all), true);
    assert.equal(matchesFilter(event({}), { eventType: 'error', dataFilters: [] }), false);
    assert.equal(matchesFilter(event({}, { student_email: null }), { studentEmail: 'ada@example.com', dataFilters: [] }), false);
  });

  it('compares with JSON types: 400 is not "400", true is not "true"', () => {
    assert.equal(matchesFilter(event({ status: 400 }), where(on('status', 'eq', 400))), true);
    assert.equal(matchesFilter(event({ status: '400' }), where(on('status', 'eq', 400))), false);
    assert.equal(matchesFilter(event({ status: '400' }), where(on('status', 'gte', 400))), false);
    assert.equal(matchesFilter(event({ ok: 'true' }), where(on('ok', 'eq', true))), false);
  });

  it('counts a JSON null as present and a missing field as never matching', () => {
    assert.equal(matchesFilter(event({ status: null }), where(on('status', 'eq', null))), true);
    assert.equal(matchesFilter(event({ status: null }), where(on('status', 'ne', 400))), true);
    assert.equal(matchesFilter(event({}), where(on('status', 'ne', 400))), false);
    assert.equal(matchesFilter(event({}), where(on('status', 'eq', null))), false);
  });

  it('descends through objects only', () => {
    assert.equal(matchesFilter(event({ error: { code: 'E42' } }), where(on('error.code', 'eq', 'E42'))), true);
    assert.equal(matchesFilter(event({ error: [{ code: 'E42' }] }), where(on('error.code', 'ne', null))), false);
    assert.equal(matchesFilter(event({ error: 'E42' }), where(on('error.code', 'ne', null))), false);
    assert.equal(matchesFilter(event({ tags: ['E42'] }), where(on('tags.length', 'eq', 1))), false);
  });

  it('holds every condition at once', () => {
    const fourHundreds = where(on('status', 'gte', 400), on('status', 'lt', 500));
    assert.equal(matchesFilter(event({ status: 404 }), fourHundreds), true);
    assert.equal(matchesFilter(event({ status: 503 }), fourHundreds), false);
  });
});
