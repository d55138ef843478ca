// Migration 004 on a database that already holds a class's history: the current step
// of each session, the stays it has left and its latest error and help request are
// replayed from the events, so the overview is right from the first start after it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, sql, type Migration } from 'kysely';
import { classOverview, type ClassOverview } from '../../src/sessions/class-overview.js';
import { DEFAULT_RULES } from '../../src/sessions/status-rules.js';
import { sqliteMigrations } from '../../src/storage/sqlite/migrations.js';
import type { EventStore } from '../../src/storage/types.js';
import { describeEachEngine } from '../helpers/each-engine.js';
import { cleanUpDatabases, ENGINES } from '../helpers/engines.js';
import { openAtMigration } from '../helpers/older-schema.js';

const NOW = new Date('2026-03-02T11:00:00.000Z');
const at = (minutesAgo: number) => new Date(NOW.getTime() - minutesAgo * 60_000).toISOString();

/** [session, type, data, minutes ago], oldest first: what a class left before the upgrade. */
const HISTORY: Array<[string, string, Record<string, unknown>, number]> = [
  ['ws_a', 'navigation', { from: 0, to: 1, toStepName: 'Connect Accounts' }, 40],
  ['ws_b', 'navigation', { currentStep: 1, stepName: 'Connect Accounts' }, 40],
  ['ws_a', 'navigation', { from: 1, to: 2, toStepName: 'Choose Use Case' }, 30],
  ['ws_b', 'navigation', { from: 1, to: 2, toStepName: 'Choose Use Case' }, 34],
  ['ws_a', 'error', { errorType: 'openai_validation_failed', errorMessage: 'Incorrect API key provided' }, 20],
  // A reload: the same step again is not a new stay.
  ['ws_a', 'navigation', { from: 2, to: 2, toStepName: 'Choose Use Case' }, 15],
  ['ws_b', 'navigation', { from: 2, to: 3, toStepName: 'Provision Services' }, 24],
  ['ws_b', 'help_request', { message: 'which number?' }, 2],
];

/** Applies `migrations` up to `target` (all of them by default); Kysely's result, error included. */
function migrate(db: Kysely<unknown>, migrations: Record<string, Migration>, target?: string) {
  const migrator = new Migrator({ db, provider: { getMigrations: () => Promise.resolve(migrations) } });
  return target === undefined ? migrator.migrateToLatest() : migrator.migrateTo(target);
}

await describeEachEngine('migration 004 on an existing class', (engine) => {
  let store: EventStore;
  let overview: ClassOverview;

  before(async () => {
    const database = await engine.createDatabase({ empty: true });
    const postgres = engine.name === 'postgres';
    const db = await openAtMigration(database.url, '003_session_activity');
    for (const [token, type, data, ago] of HISTORY) {
      await sql`INSERT INTO events (session_token, event_type, event_data, created_at) VALUES (${token}, ${type}, ${JSON.stringify(data)}, ${at(ago)})`.execute(db);
    }
    // PostgreSQL's 003 trigger kept session_activity; the SQLite writer of that version did, as here.
    if (!postgres) {
      await sql`INSERT INTO session_activity SELECT session_token, min(created_at), max(created_at), count(*) FROM events GROUP BY session_token`.execute(db);
    }
    await db.destroy();
    store = await database.openStore();
    overview = await classOverview(store, { activeWithinSeconds: 3 * 3600, limit: 500, rules: DEFAULT_RULES, now: NOW });
  });
  after(() => store?.close());

  const row = (token: string) => overview.sessions.find((s) => s.sessionToken === token);

  it('knows where each session is and since when, a reload not restarting the stay', () => {
    assert.deepEqual([row('ws_a')?.currentStep, row('ws_a')?.stepName, row('ws_a')?.onStepSince], ['2', 'Choose Use Case', at(30)]);
    assert.deepEqual([row('ws_b')?.currentStep, row('ws_b')?.stepName, row('ws_b')?.onStepSince], ['3', 'Provision Services', at(24)]);
  });

  it('knows each session’s latest error and help request', () => {
    assert.equal(row('ws_a')?.lastError?.errorType, 'openai_validation_failed');
    assert.deepEqual(row('ws_b')?.helpRequest, { message: 'which number?', at: at(2) });
    assert.equal(row('ws_b')?.status, 'asked_for_help');
  });

  it('knows how long the class took on the steps they left', () => {
    const median = (step: string) => overview.steps.find((s) => s.step === step)?.medianSeconds;
    assert.equal(median('1'), (10 * 60 + 6 * 60) / 2);
    assert.equal(median('2'), 10 * 60);
    assert.equal(median('3'), null);
  });

  it('goes on keeping them as new events arrive', async () => {
    await store.insertEvents([{ sessionToken: 'ws_a', eventType: 'navigation', eventData: { from: 2, to: 3, toStepName: 'Provision Services' } }]);
    const later = await classOverview(store, { activeWithinSeconds: 365 * 86_400, limit: 500, rules: DEFAULT_RULES });
    const a = later.sessions.find((s) => s.sessionToken === 'ws_a');
    assert.equal(a?.currentStep, '3');
    assert.ok(Date.parse(a?.onStepSince ?? '') > NOW.getTime());
    assert.equal(later.steps.find((s) => s.step === '2')?.samples, 2);
  });
});

await describe('migration 004 on SQLite, cut short by a full disk', () => {
  after(cleanUpDatabases);

  it('leaves the schema as it was, and the next start completes it', async () => {
    const database = await ENGINES[0]!.createDatabase();
    const file = database.url.slice('sqlite:'.length);
    const raw = new BetterSqlite3(file);
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: raw }) });
    assert.equal((await migrate(db, sqliteMigrations, '003_session_activity')).error, undefined);
    const insert = raw.prepare('INSERT INTO events (session_token, event_type, event_data, created_at) VALUES (?, ?, ?, ?)');
    raw.transaction(() => {
      for (let i = 0; i < 20_000; i++) insert.run(`ws_${i % 500}`, 'navigation', JSON.stringify({ to: i % 7 }), at(20_000 - i));
    })();
    raw.pragma(`max_page_count = ${Number(raw.pragma('page_count', { simple: true })) + 3}`);
    const failed = await migrate(db, sqliteMigrations);
    assert.match(String((failed.error as { code?: string } | undefined)?.code), /^SQLITE_FULL/);
    const columns = () => raw.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('session_activity')").all().map((c) => c.name);
    assert.deepEqual(columns(), ['session_token', 'first_seen', 'last_seen', 'event_count']);
    assert.equal(raw.prepare("SELECT name FROM sqlite_master WHERE name = 'step_stays'").get(), undefined);
    await db.destroy();
    const store = await database.openStore();
    await store.close();
    const reopened = new BetterSqlite3(file);
    assert.ok(reopened.prepare<[], { n: number }>('SELECT count(*) AS n FROM step_stays').get()!.n > 0);
    reopened.close();
  });
});
