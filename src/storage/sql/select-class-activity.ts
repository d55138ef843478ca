import { sql, type ExpressionBuilder } from 'kysely';
import type { ActiveSession, ClassActivity, ClassActivityQuery, EventFacts, StepVisit } from '../types.js';
import type { Database } from './database.js';
import type { SqlEngine } from './sql-engine.js';

type ActivityScope = ExpressionBuilder<Database & { sa: Database['session_activity'] }, 'sa'>;

/**
 * The medians come from the latest navigations of the window: enough for a class of
 * hundreds, and a bound on the read however busy the window was.
 */
const MAX_NAVIGATIONS = 1500;

/**
 * Three indexed reads: the active sessions (session_activity by last_seen) with the ids
 * of their latest navigation, error and help request and their recent error count (each
 * a lookup in events (session_token, event_type, event_id)); those events; and the step
 * visits of the window (events (event_type, event_id) from the window's first id).
 */
export async function readClassActivity(engine: SqlEngine, query: ClassActivityQuery): Promise<ClassActivity> {
  const [windowStart, recentStart] = await Promise.all([firstEventAt(engine, query.activeSince), firstEventAt(engine, query.recentSince)]);
  const rows = await selectActiveSessions(engine, query, recentStart).execute();
  const ids = rows.flatMap((row) => [row.navigation_id, row.error_id, row.help_id]).filter((id) => id !== null);
  const [latest, visits] = await Promise.all([
    ids.length === 0 ? [] : selectFacts(engine).where('e.event_id', 'in', ids).execute(),
    selectVisits(engine, windowStart),
  ]);
  const byId = new Map(latest.map((row) => [Number(row.event_id), toFacts(engine, row)]));
  const facts = (id: unknown): EventFacts | null => (id === null ? null : (byId.get(Number(id)) ?? null));
  const sessions = rows.map(
    (row): ActiveSession => ({
      sessionToken: row.session_token,
      studentEmail: row.email,
      studentName: row.name,
      firstSeen: engine.decodeTime(row.first_seen),
      lastSeen: engine.decodeTime(row.last_seen),
      eventCount: Number(row.event_count),
      lastNavigation: facts(row.navigation_id),
      lastError: facts(row.error_id),
      lastHelpRequest: facts(row.help_id),
      recentErrors: Number(row.recent_errors),
    }),
  );
  return { sessions, visits };
}

/**
 * Each navigation in the window with the time to the session's next one, computed by the
 * database (a window function): numbers, not timestamps, cross the wire.
 */
async function selectVisits(engine: SqlEngine, windowStart: number): Promise<StepVisit[]> {
  // SQLite's ->> gives JSON numbers as numbers, PostgreSQL's as text: both become text here.
  const { rows } = await sql<{ session_token: string; event_data: unknown; seconds: number | string | null }>`
    SELECT session_token, event_data, ${engine.secondsBetween(sql.ref('arrived'), sql.ref('left_at'))} AS seconds
    FROM (
      SELECT n.session_token, n.event_id, n.event_data, n.created_at AS arrived,
             lead(n.created_at) OVER (PARTITION BY n.session_token ORDER BY n.event_id) AS left_at
      FROM (
        SELECT e.session_token, e.event_id, e.event_data, e.created_at FROM events e
        WHERE e.event_type = 'navigation' AND e.event_id >= ${windowStart}
        ORDER BY e.event_id DESC
        LIMIT ${MAX_NAVIGATIONS}
      ) AS n
    ) AS visits
    ORDER BY event_id`.execute(engine.db);
  return rows.map((row) => ({ sessionToken: row.session_token, ...stepOf(engine.decodeData(row.event_data)), seconds: milliseconds(row.seconds) }));
}

/** The id of the first event stored at or after `time` (ids follow commit order, as do times). */
async function firstEventAt(engine: SqlEngine, time: Date): Promise<number> {
  const row = await engine.db
    .selectFrom('events')
    .select('event_id')
    .where('created_at', '>=', engine.encodeTime(time))
    .orderBy('created_at', 'asc')
    .limit(1)
    .executeTakeFirst();
  return row === undefined ? Number.MAX_SAFE_INTEGER : engine.decodeId(row.event_id);
}

// The few fields the overview reads are taken from the decoded documents here: asking the
// database for them (->>) parses each document once per field, several times slower.
function selectFacts(engine: SqlEngine) {
  return engine.db.selectFrom('events as e').select(['e.event_id', 'e.session_token', 'e.created_at', 'e.event_data']);
}

/** A navigation's step (`to`, else `currentStep`) and its name (`toStepName`, else `stepName`), as text. */
function stepOf(data: Record<string, unknown>) {
  return { step: text(data.to ?? data.currentStep), stepName: text(data.toStepName ?? data.stepName) };
}

type FactsRow = Awaited<ReturnType<ReturnType<typeof selectFacts>['executeTakeFirstOrThrow']>>;

const text = (value: unknown) => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null);
/** To the millisecond the timestamps have (SQLite's julianday arithmetic adds float noise). */
const milliseconds = (seconds: number | string | null) => (seconds === null ? null : Math.round(Number(seconds) * 1000) / 1000);

function toFacts(engine: SqlEngine, row: FactsRow): EventFacts {
  const data = engine.decodeData(row.event_data);
  return {
    eventId: engine.decodeId(row.event_id),
    sessionToken: row.session_token,
    at: engine.decodeTime(row.created_at),
    ...stepOf(data),
    kind: text(data.errorType ?? data.type),
    message: text(data.errorMessage ?? data.message),
  };
}

function selectActiveSessions(engine: SqlEngine, query: ClassActivityQuery, recentStart: number) {
  const latest = (eb: ActivityScope, eventType: string) =>
    eb
      .selectFrom('events as e')
      .select((inner) => inner.fn.max('e.event_id').as('id'))
      .whereRef('e.session_token', '=', 'sa.session_token')
      .where('e.event_type', '=', eventType);
  return engine.db
    .selectFrom('session_activity as sa')
    .leftJoin('sessions as s', 's.session_token', 'sa.session_token')
    .leftJoin('students as st', 'st.student_id', 's.student_id')
    .select((eb) => [
      'sa.session_token',
      'sa.first_seen',
      'sa.last_seen',
      'sa.event_count',
      'st.email',
      'st.name',
      latest(eb, 'navigation').as('navigation_id'),
      latest(eb, 'error').as('error_id'),
      latest(eb, 'help_request').as('help_id'),
      eb
        .selectFrom('events as e')
        .select((inner) => inner.fn.countAll().as('n'))
        .whereRef('e.session_token', '=', 'sa.session_token')
        .where('e.event_type', '=', 'error')
        .where('e.event_id', '>=', recentStart)
        .as('recent_errors'),
    ])
    .where('sa.last_seen', '>=', engine.encodeTime(query.activeSince))
    // A deleted student's sessions keep their activity row, but no events.
    .where((eb) => eb.exists(eb.selectFrom('events as e').select('e.event_id').whereRef('e.session_token', '=', 'sa.session_token')))
    .orderBy('sa.last_seen', 'desc')
    .limit(query.limit);
}
