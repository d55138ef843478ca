import type { ExpressionBuilder } from 'kysely';
import type { Database } from './database.js';
import type { ActiveSession, ClassActivity, ClassActivityQuery, EventFacts, StepStay } from '../types.js';
import { asText } from '../../schemas/navigation-step.js';
import type { SqlEngine } from './sql-engine.js';

/** The medians come from the latest stays of the window: a bound on the read however busy it was. */
const MAX_STAYS = 5000;

/**
 * Indexed reads of what the writers keep per session (session_activity) and per stay on
 * a step (step_stays), the recent errors (events by type and id), and the few events the
 * overview shows (latest error and help request, by id): none scans a session's events.
 */
export async function readClassActivity(engine: SqlEngine, query: ClassActivityQuery): Promise<ClassActivity> {
  const [rows, recentErrors, stays] = await Promise.all([
    activeSessions(engine, query).select(sessionColumns).orderBy('sa.last_seen', 'desc').limit(query.limit).execute(),
    countErrorsSince(engine, query.recentSince),
    selectStays(engine, query.activeSince),
  ]);
  const [facts, kept, activeCount] = await Promise.all([
    selectFacts(engine, rows.flatMap((row) => [row.last_error_id, row.last_help_id])),
    withoutDeletedSessions(engine, stays, new Set(rows.map((row) => row.session_token))),
    rows.length < query.limit ? rows.length : countActiveSessions(engine, query),
  ]);
  const sessions = rows.map(
    (row): ActiveSession => ({
      sessionToken: row.session_token,
      studentEmail: row.email,
      studentName: row.name,
      firstSeen: engine.decodeTime(row.first_seen),
      lastSeen: engine.decodeTime(row.last_seen),
      eventCount: Number(row.event_count),
      stay:
        row.step_event_id === null
          ? null
          : { step: row.step, stepName: row.step_name, since: engine.decodeTime(row.on_step_since), eventId: engine.decodeId(row.step_event_id) },
      lastError: facts.get(Number(row.last_error_id)) ?? null,
      lastHelpRequest: facts.get(Number(row.last_help_id)) ?? null,
      recentErrors: recentErrors.get(row.session_token) ?? 0,
    }),
  );
  return { sessions, activeSessions: activeCount, stays: kept };
}

const sessionColumns = [
  'sa.session_token',
  'sa.first_seen',
  'sa.last_seen',
  'sa.event_count',
  'sa.step',
  'sa.step_name',
  'sa.on_step_since',
  'sa.step_event_id',
  'sa.last_error_id',
  'sa.last_help_id',
  'st.email',
  'st.name',
] as const;

function activeSessions(engine: SqlEngine, query: ClassActivityQuery) {
  return engine.db
    .selectFrom('session_activity as sa')
    .leftJoin('sessions as s', 's.session_token', 'sa.session_token')
    .leftJoin('students as st', 'st.student_id', 's.student_id')
    .where('sa.last_seen', '>=', engine.encodeTime(query.activeSince))
    .where(hasEvents);
}

/** A deleted student's sessions keep their activity row, but no events. */
const hasEvents = (eb: ExpressionBuilder<Database & { sa: Database['session_activity'] }, 'sa'>) =>
  eb.exists(eb.selectFrom('events as e').select('e.event_id').whereRef('e.session_token', '=', 'sa.session_token'));

async function countActiveSessions(engine: SqlEngine, query: ClassActivityQuery): Promise<number> {
  const row = await activeSessions(engine, query)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Like their sessions, a deleted student's stays are left out: each session behind the
 * stays must still have events. `known` are sessions already seen to have some (the
 * active ones listed): a stay began in the window, so its session is active, and only
 * the sessions of deleted students, or cut from the list by its limit, cost a lookup.
 */
async function withoutDeletedSessions(engine: SqlEngine, stays: StepStay[], known: ReadonlySet<string>): Promise<StepStay[]> {
  const unknown = [...new Set(stays.map((stay) => stay.sessionToken))].filter((token) => !known.has(token));
  if (unknown.length === 0) return stays;
  const present = await engine.db
    .selectFrom('session_activity as sa')
    .select('sa.session_token')
    .where('sa.session_token', 'in', unknown)
    .where(hasEvents)
    .execute();
  const kept = new Set([...known, ...present.map((row) => row.session_token)]);
  return stays.filter((stay) => kept.has(stay.sessionToken));
}

/** Errors per session since `time`, from the first event id stored then (events (event_type, event_id)). */
async function countErrorsSince(engine: SqlEngine, time: Date): Promise<Map<string, number>> {
  const start = await firstEventAt(engine, time);
  const rows = await engine.db
    .selectFrom('events')
    .select((eb) => ['session_token', eb.fn.countAll().as('n')])
    .where('event_type', '=', 'error')
    .where('event_id', '>=', start)
    .groupBy('session_token')
    .execute();
  return new Map(rows.map((row) => [row.session_token, Number(row.n)]));
}

async function selectStays(engine: SqlEngine, since: Date): Promise<StepStay[]> {
  const rows = await engine.db
    .selectFrom('step_stays as ss')
    .select(['ss.session_token', 'ss.step', 'ss.step_name', 'ss.seconds'])
    .where('ss.arrived_at', '>=', engine.encodeTime(since))
    .orderBy('ss.arrived_at', 'desc')
    .limit(MAX_STAYS)
    .execute();
  return rows.map((row) => ({ sessionToken: row.session_token, step: row.step, stepName: row.step_name, seconds: Number(row.seconds) }));
}

/**
 * The id of the first event stored at or after `time`. Ids and times follow each other
 * closely, if not exactly with concurrent writers (a millisecond apart at most, in effect).
 */
async function firstEventAt(engine: SqlEngine, time: Date): Promise<number> {
  const row = await engine.db
    .selectFrom('events')
    .select('event_id')
    .where('created_at', '>=', engine.encodeTime(time))
    // Several events can share a millisecond: the lowest id among them, not any.
    .orderBy('created_at', 'asc')
    .orderBy('event_id', 'asc')
    .limit(1)
    .executeTakeFirst();
  return row === undefined ? Number.MAX_SAFE_INTEGER : engine.decodeId(row.event_id);
}

/**
 * The errors and help requests by id. Their fields are picked from the decoded documents
 * here: asking the database for them (->>) parses each document once per field.
 */
async function selectFacts(engine: SqlEngine, ids: ReadonlyArray<number | string | null>): Promise<Map<number, EventFacts>> {
  const wanted = ids.filter((id) => id !== null).map(Number);
  if (wanted.length === 0) return new Map();
  const rows = await engine.db.selectFrom('events').select(['event_id', 'created_at', 'event_data']).where('event_id', 'in', wanted).execute();
  return new Map(
    rows.map((row) => {
      const data = engine.decodeData(row.event_data);
      const eventId = engine.decodeId(row.event_id);
      return [eventId, { eventId, at: engine.decodeTime(row.created_at), kind: asText(data.errorType ?? data.type), message: asText(data.errorMessage ?? data.message) }];
    }),
  );
}
