import { sql, type Transaction } from 'kysely';
import type { ErasureAudit, ErasureCounts, ErasureSubject } from '../../erasure/erasure-types.js';
import type { Database } from './database.js';
import { bumpStoreEpoch } from './store-epoch.js';
import type { SqlEngine } from './sql-engine.js';

type Trx = Transaction<Database>;

/**
 * Deletes everything of a student or a session in one transaction: events (and their
 * event_problems, by cascade), step stays, session activity, session links, alert claims
 * and alerts that name them, the student row; then writes the audit record. Null when
 * nothing was known of the subject (nothing is written then).
 */
export function eraseSubject(engine: SqlEngine, subject: ErasureSubject, audit: ErasureAudit): Promise<ErasureCounts | null> {
  return engine.writeTransaction(async (trx) => {
    const found = await subjectRows(trx, subject);
    if (found === null) return null;
    const { tokens, studentIds } = found;
    const counts: ErasureCounts = {
      // A student's events are theirs by link too (an identified event of a session linked later); a session's are its own.
      events: await deleteEvents(trx, tokens, subject.kind === 'student' ? studentIds : []),
      stepStays: await deleteIn(trx, 'step_stays', 'session_token', tokens),
      alerts: await deleteAlertsNaming(engine, trx, tokens),
      sessions: await deleteIn(trx, 'sessions', 'session_token', tokens),
      students: 0,
    };
    await deleteIn(trx, 'session_activity', 'session_token', tokens);
    await deleteIn(trx, 'alert_claims', 'subject', tokens);
    counts.students = await deleteStudents(trx, studentIds, subject.kind === 'student');
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

/** The subject's session tokens and student ids; null if it has neither events nor rows. */
async function subjectRows(trx: Trx, subject: ErasureSubject): Promise<{ tokens: string[]; studentIds: number[] } | null> {
  if (subject.kind === 'session') {
    const token = subject.sessionToken;
    const [event, activity, link] = await Promise.all([
      trx.selectFrom('events').select('event_id').where('session_token', '=', token).limit(1).executeTakeFirst(),
      trx.selectFrom('session_activity').select('session_token').where('session_token', '=', token).executeTakeFirst(),
      trx.selectFrom('sessions').select('student_id').where('session_token', '=', token).executeTakeFirst(),
    ]);
    if (event === undefined && activity === undefined && link === undefined) return null;
    return { tokens: [token], studentIds: link === undefined ? [] : [Number(link.student_id)] };
  }
  const student = await trx.selectFrom('students').select('student_id').where('email', '=', subject.email).executeTakeFirst();
  if (student === undefined) return null;
  const id = Number(student.student_id);
  const [linked, logged] = await Promise.all([
    trx.selectFrom('sessions').select('session_token').where('student_id', '=', id).execute(),
    trx.selectFrom('events').select('session_token').distinct().where('student_id', '=', id).execute(),
  ]);
  return { tokens: [...new Set([...linked, ...logged].map((row) => row.session_token))], studentIds: [id] };
}

async function deleteEvents(trx: Trx, tokens: string[], studentIds: number[]): Promise<number> {
  let deleted = await deleteIn(trx, 'events', 'session_token', tokens);
  if (studentIds.length > 0) {
    const result = await trx.deleteFrom('events').where('student_id', 'in', studentIds).executeTakeFirst();
    deleted += Number(result.numDeletedRows);
  }
  return deleted;
}

/** A session's erasure takes the student row only when nothing else of theirs is left. */
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

async function deleteIn(trx: Trx, table: 'events' | 'step_stays' | 'session_activity' | 'sessions' | 'alert_claims', column: string, values: string[]): Promise<number> {
  if (values.length === 0) return 0;
  const result = await sql`DELETE FROM ${sql.table(table)} WHERE ${sql.ref(column)} IN (${sql.join(values)})`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}

/** Alerts whose students include one of the sessions: found by a text search, confirmed on the parsed row. */
async function deleteAlertsNaming(engine: SqlEngine, trx: Trx, tokens: string[]): Promise<number> {
  if (tokens.length === 0) return 0;
  const wanted = new Set(tokens);
  const candidates = await trx
    .selectFrom('alerts')
    .select(['alert_id', 'students'])
    .where((eb) => eb.or(tokens.map((token) => eb(sql`CAST(students AS TEXT)`, 'like', `%${likeEscaped(token)}%`))))
    .execute();
  const naming = candidates.filter((row) => {
    const students = engine.decodeData(row.students) as unknown as Array<{ sessionToken: string }>;
    return students.some((student) => wanted.has(student.sessionToken));
  });
  if (naming.length === 0) return 0;
  await trx.deleteFrom('alerts').where('alert_id', 'in', naming.map((row) => row.alert_id)).execute();
  return naming.length;
}

/** LIKE's wildcards as themselves (the default escape character is none: `%` and `_` are rare in tokens, but possible). */
const likeEscaped = (text: string) => text.replace(/[%_]/g, '_');
