import { sql, type Transaction } from 'kysely';
import type { ErasureAudit, ErasureCounts, ErasureSubject } from '../../erasure/erasure-types.js';
import type { Database } from './database.js';
import { bumpStoreEpoch } from './store-epoch.js';
import type { SqlEngine } from './sql-engine.js';

type Trx = Transaction<Database>;

/** What one erasure takes: events, and the sessions it empties (whose derived rows go too). */
interface Erased {
  events: number;
  /** Sessions with no event left: their stays, activity, link, claims and alerts go. */
  emptied: string[];
  /** Links to drop whatever else the session holds (a shared session no longer points at the student). */
  unlinkedStudent: number | null;
  studentIds: number[];
  /** Alerts naming any of these go (an alert names students by token and email; a shared session's other students keep theirs). */
  named: { tokens: string[]; email: string | null };
}

/**
 * Deletes everything of a student or a session in one transaction, and writes the audit
 * record; null when nothing was known of the subject (nothing is written then).
 *
 * A student: their events (and their error groups, by cascade), the anonymous events of
 * the sessions linked to them, and of each session left empty its stays, activity, link,
 * claims and alerts; alerts that name them; their row. Another student's events in a
 * session they shared stay. A session: all its events and what derives from them; the
 * student row too once nothing else of theirs is left.
 *
 * On PostgreSQL the student row is locked first: a writer storing an event for them
 * meanwhile has either committed (its event is seen, and erased with theirs, or keeps the
 * student) or waits, then finds the student gone and stores its events anew; the check
 * and the cascade never race.
 */
export function eraseSubject(engine: SqlEngine, subject: ErasureSubject, audit: ErasureAudit): Promise<ErasureCounts | null> {
  return engine.writeTransaction(async (trx) => {
    const erased = subject.kind === 'student' ? await eraseStudent(engine, trx, subject.email) : await eraseSession(engine, trx, subject.sessionToken);
    if (erased === null) return null;
    const counts: ErasureCounts = {
      events: erased.events,
      stepStays: await deleteIn(trx, 'step_stays', 'session_token', erased.emptied),
      alerts: await deleteAlertsNaming(engine, trx, erased.named),
      sessions: await deleteLinks(trx, erased.emptied, erased.unlinkedStudent),
      students: 0,
    };
    await deleteIn(trx, 'session_activity', 'session_token', erased.emptied);
    await deleteIn(trx, 'alert_claims', 'subject', erased.emptied);
    counts.students = await deleteStudents(trx, erased.studentIds, subject.kind === 'student');
    await bumpStoreEpoch(trx);
    await trx
      .insertInto('erasures')
      .values({
        subject_kind: subject.kind,
        subject_digest: audit.subjectDigest,
        salt: audit.salt,
        counts: JSON.stringify(counts),
        credential: audit.credential,
        erased_at: engine.encodeTime(new Date()),
      })
      .execute();
    return counts;
  });
}

async function eraseStudent(engine: SqlEngine, trx: Trx, email: string): Promise<Erased | null> {
  const student = await lockStudents(engine, trx, sql`email = ${email}`);
  const id = student[0];
  if (id === undefined) return null;
  const [linked, logged] = await Promise.all([
    trx.selectFrom('sessions').select('session_token').where('student_id', '=', id).execute(),
    trx.selectFrom('events').select('session_token').distinct().where('student_id', '=', id).execute(),
  ]);
  const linkedTokens = linked.map((row) => row.session_token);
  const tokens = [...new Set([...linkedTokens, ...logged.map((row) => row.session_token)])];
  const own = await trx.deleteFrom('events').where('student_id', '=', id).executeTakeFirst();
  const anonymous =
    linkedTokens.length === 0
      ? 0
      : Number((await trx.deleteFrom('events').where('student_id', 'is', null).where('session_token', 'in', linkedTokens).executeTakeFirst()).numDeletedRows);
  const emptied = await withoutEvents(trx, tokens);
  return { events: Number(own.numDeletedRows) + anonymous, emptied, unlinkedStudent: id, studentIds: [id], named: { tokens: emptied, email } };
}

async function eraseSession(engine: SqlEngine, trx: Trx, token: string): Promise<Erased | null> {
  const studentIds = await lockStudents(engine, trx, sql`student_id IN (SELECT s.student_id FROM sessions s WHERE s.session_token = ${token})`);
  const events = await deleteIn(trx, 'events', 'session_token', [token]);
  const activity = await trx.selectFrom('session_activity').select('session_token').where('session_token', '=', token).executeTakeFirst();
  if (events === 0 && activity === undefined && studentIds.length === 0) return null;
  return { events, emptied: [token], unlinkedStudent: null, studentIds, named: { tokens: [token], email: null } };
}

/** The ids of the students `where` selects, their rows locked until the commit on PostgreSQL (SQLite's transaction holds the whole file). */
async function lockStudents(engine: SqlEngine, trx: Trx, where: ReturnType<typeof sql>): Promise<number[]> {
  const lock = engine.locksRows ? sql`FOR UPDATE` : sql``;
  const { rows } = await sql<{ student_id: number | string }>`SELECT student_id FROM students WHERE ${where} ${lock}`.execute(trx);
  return rows.map((row) => Number(row.student_id));
}

/** Which of `tokens` no longer have any event. */
async function withoutEvents(trx: Trx, tokens: string[]): Promise<string[]> {
  if (tokens.length === 0) return [];
  const remaining = await trx.selectFrom('events').select('session_token').distinct().where('session_token', 'in', tokens).execute();
  const left = new Set(remaining.map((row) => row.session_token));
  return tokens.filter((token) => !left.has(token));
}

async function deleteLinks(trx: Trx, tokens: string[], student: number | null): Promise<number> {
  if (tokens.length === 0 && student === null) return 0;
  const result = await trx
    .deleteFrom('sessions')
    .where((eb) => eb.or([...(tokens.length === 0 ? [] : [eb('session_token', 'in', tokens)]), ...(student === null ? [] : [eb('student_id', '=', student)])]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** A session's erasure takes the student row only when nothing else of theirs is left (checked after the lock). */
async function deleteStudents(trx: Trx, studentIds: number[], always: boolean): Promise<number> {
  if (studentIds.length === 0) return 0;
  let query = trx.deleteFrom('students').where('student_id', 'in', studentIds);
  if (!always) {
    query = query
      .where((eb) => eb.not(eb.exists(eb.selectFrom('sessions as s').select('s.student_id').whereRef('s.student_id', '=', 'students.student_id'))))
      .where((eb) => eb.not(eb.exists(eb.selectFrom('events as e').select('e.event_id').whereRef('e.student_id', '=', 'students.student_id'))));
  }
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

async function deleteIn(trx: Trx, table: 'events' | 'step_stays' | 'session_activity' | 'alert_claims', column: string, values: string[]): Promise<number> {
  if (values.length === 0) return 0;
  const result = await sql`DELETE FROM ${sql.table(table)} WHERE ${sql.ref(column)} IN (${sql.join(values)})`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}

/**
 * Alerts whose students include one of the sessions or the email. Read whole and matched
 * here: a text search would have to mirror JSON's escaping of odd tokens on each engine,
 * and erasures are rare while alerts are few (the retention bounds them).
 */
async function deleteAlertsNaming(engine: SqlEngine, trx: Trx, named: Erased['named']): Promise<number> {
  const tokens = new Set(named.tokens);
  const rows = await trx.selectFrom('alerts').select(['alert_id', 'students']).execute();
  const naming = rows.filter((row) =>
    (engine.decodeData(row.students) as unknown as Array<{ sessionToken: string; studentEmail: string | null }>).some(
      (student) => tokens.has(student.sessionToken) || (named.email !== null && student.studentEmail === named.email),
    ),
  );
  if (naming.length === 0) return 0;
  await trx.deleteFrom('alerts').where('alert_id', 'in', naming.map((row) => row.alert_id)).execute();
  return naming.length;
}
