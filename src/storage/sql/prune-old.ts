import { sql, type Transaction } from 'kysely';
import type { Database } from './database.js';
import type { SqlEngine } from './sql-engine.js';
import { bumpStoreEpoch } from './store-epoch.js';

type Trx = Transaction<Database>;

/** What one batch of retention deleted; `done` once nothing older than the cutoff is left. */
export interface PruneBatch {
  events: number;
  done: boolean;
}

/**
 * One batch of retention, one short transaction: at most `batch` rows of each kind older
 * than `cutoff` (events, their problems by cascade, step stays, session activity, alerts
 * and claims). Once those are gone, the session links and students that nothing refers to.
 */
export function pruneBatch(engine: SqlEngine, cutoff: Date, batch: number): Promise<PruneBatch> {
  const before = engine.encodeTime(cutoff);
  return engine.writeTransaction(async (trx) => {
    const events = await deleteOldest(trx, 'events', 'event_id', 'created_at', before, batch);
    const derived = [
      await deleteOldest(trx, 'step_stays', engine.rowId, 'arrived_at', before, batch),
      await deleteOldest(trx, 'session_activity', 'session_token', 'last_seen', before, batch),
      await deleteOldest(trx, 'alerts', 'alert_id', 'created_at', before, batch),
    ];
    // One per rule and student at most: few enough for one statement (and SQLite keeps them without rowid).
    await trx.deleteFrom('alert_claims').where('fired_at', '<', before).execute();
    const aged = [events, ...derived].some((count) => count === batch);
    const orphans = aged ? 0 : (await deleteUnlinkedSessions(trx, batch)) + (await deleteForgottenStudents(engine, trx, batch));
    if (events + orphans + derived.reduce((a, b) => a + b, 0) > 0) await bumpStoreEpoch(trx);
    return { events, done: !aged && orphans < batch };
  });
}

/** How many events are older than `cutoff` (a dry run). */
export async function countOlder(engine: SqlEngine, cutoff: Date): Promise<number> {
  const row = await engine.db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('created_at', '<', engine.encodeTime(cutoff))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

type AgedTable = 'events' | 'step_stays' | 'session_activity' | 'alerts';

/**
 * The time is checked again on the row deleted: on PostgreSQL a row that a writer updated
 * meanwhile (a session that came back) is re-read after the wait, and only the outer
 * condition is checked against its new version.
 */
async function deleteOldest(trx: Trx, table: AgedTable, key: string, time: string, before: unknown, batch: number): Promise<number> {
  const result = await sql`DELETE FROM ${sql.table(table)} WHERE ${sql.ref(key)} IN (
      SELECT ${sql.ref(key)} FROM ${sql.table(table)} WHERE ${sql.ref(time)} < ${before} LIMIT ${batch}
    ) AND ${sql.ref(time)} < ${before}`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}

/** Links of sessions with no activity left: their events are gone. */
async function deleteUnlinkedSessions(trx: Trx, batch: number): Promise<number> {
  const result = await sql`DELETE FROM sessions WHERE session_token IN (
      SELECT s.session_token FROM sessions s
      WHERE NOT EXISTS (SELECT 1 FROM session_activity sa WHERE sa.session_token = s.session_token)
      LIMIT ${batch}
    )`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}

const forgotten = sql`NOT EXISTS (SELECT 1 FROM sessions s WHERE s.student_id = students.student_id)
  AND NOT EXISTS (SELECT 1 FROM events e WHERE e.student_id = students.student_id)`;

/**
 * Students with no session and no event left. On PostgreSQL the rows are locked first
 * and checked again by a later statement (whose snapshot is newer): a writer storing an
 * event for one of them meanwhile either committed before (the student stays) or waits
 * for this commit and finds the student gone (its group is retried with a new student
 * row). A check and delete in one statement could cascade to that writer's new event.
 */
async function deleteForgottenStudents(engine: SqlEngine, trx: Trx, batch: number): Promise<number> {
  const lock = engine.locksRows ? sql`FOR UPDATE SKIP LOCKED` : sql``;
  const { rows } = await sql<{ student_id: number }>`SELECT student_id FROM students WHERE ${forgotten} LIMIT ${batch} ${lock}`.execute(trx);
  if (rows.length === 0) return 0;
  const result = await sql`DELETE FROM students WHERE student_id IN (${sql.join(rows.map((row) => row.student_id))}) AND ${forgotten}`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}
