// Which index SQLite reads for each kind of GET. SQLite plans without statistics, so a
// read that names a session could pick an index that grows with the table; these are
// the plans behind "the latest events of one session stay fast at any table size".
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { selectEvents } from '../../src/storage/sql/select-events.js';
import type { SqlEngine } from '../../src/storage/sql/sql-engine.js';
import { openSqliteEngine } from '../../src/storage/sqlite/sqlite-engine.js';
import type { EventQuery } from '../../src/storage/types.js';
import { cleanUpDatabases, ENGINES } from '../helpers/engines.js';

const sqliteEngine = ENGINES.find((engine) => engine.name === 'sqlite');

describe('SQLite read plans', () => {
  let engine: SqlEngine;
  let raw: BetterSqlite3.Database | undefined;

  before(async () => {
    const database = await sqliteEngine!.createDatabase();
    const store = await database.openStore();
    await store.close();
    const file = database.url.slice('sqlite:'.length);
    engine = openSqliteEngine(file);
    raw = new BetterSqlite3(file, { readonly: true });
  });

  after(async () => {
    raw?.close();
    await engine.close();
    await cleanUpDatabases();
  });

  /** The indexes SQLite's plan for this GET reads events through. */
  function eventIndexes(query: Partial<EventQuery>): string[] {
    const compiled = selectEvents(engine, { dataFilters: [], order: 'desc', limit: 101, ...query }).compile();
    const plan = raw!.prepare(`EXPLAIN QUERY PLAN ${compiled.sql}`).all(...compiled.parameters) as Array<{ detail: string }>;
    return plan.flatMap(({ detail }) => /^SEARCH e USING (?:COVERING )?INDEX (\w+)/.exec(detail)?.[1] ?? []);
  }

  it('reads one session through its own index, whatever type, times or position the query adds', () => {
    const session = { sessionToken: 'ws_1' };
    assert.deepEqual(eventIndexes(session), ['events_session_idx']);
    assert.deepEqual(eventIndexes({ ...session, eventType: 'error' }), ['events_session_idx']);
    assert.deepEqual(eventIndexes({ ...session, eventType: 'error', since: new Date('2026-01-01'), until: new Date('2026-02-01') }), ['events_session_idx']);
    assert.deepEqual(eventIndexes({ ...session, eventType: 'error', afterEventId: 500, order: 'asc' }), ['events_session_idx']);
  });

  it('reads one student through theirs, with or without a session: bounded by the student', () => {
    assert.deepEqual(eventIndexes({ studentEmail: 'ada@example.com' }), ['events_student_idx']);
    assert.deepEqual(eventIndexes({ studentEmail: 'ada@example.com', sessionToken: 'ws_1', eventType: 'error' }), ['events_student_idx']);
  });

  it('reads one event type across the class through the type index', () => {
    assert.deepEqual(eventIndexes({ eventType: 'error' }), ['events_type_idx']);
  });
});
