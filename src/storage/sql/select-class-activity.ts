import type { ExpressionBuilder } from 'kysely';
import type { ActiveSession, ClassActivity, ClassActivityQuery, StoredEvent } from '../types.js';
import type { Database } from './database.js';
import { selectStoredEvents, toStoredEvent } from './select-events.js';
import type { SqlEngine } from './sql-engine.js';

type ActivityScope = ExpressionBuilder<Database & { sa: Database['session_activity'] }, 'sa'>;

/** More navigations than a class of hundreds makes in a day: a bound, not a page size. */
const MAX_NAVIGATIONS = 50_000;

/**
 * Three indexed reads: the active sessions (session_activity by last_seen) with the ids
 * of their latest navigation, error and help request and their recent error count (each
 * a lookup in events (session_token, event_type, event_id)); those events; and the
 * navigations in the window (events (event_type, event_id) from the window's first id).
 */
export async function readClassActivity(engine: SqlEngine, query: ClassActivityQuery): Promise<ClassActivity> {
  const [windowStart, recentStart] = await Promise.all([firstEventAt(engine, query.activeSince), firstEventAt(engine, query.recentSince)]);
  const rows = await selectActiveSessions(engine, query, recentStart).execute();
  const ids = rows.flatMap((row) => [row.navigation_id, row.error_id, row.help_id]).filter((id) => id !== null);
  const [events, navigations] = await Promise.all([
    ids.length === 0 ? [] : selectStoredEvents(engine).where('e.event_id', 'in', ids).execute(),
    selectStoredEvents(engine)
      .where('e.event_type', '=', 'navigation')
      .where('e.event_id', '>=', windowStart)
      .orderBy('e.event_id', 'asc')
      .limit(MAX_NAVIGATIONS)
      .execute(),
  ]);
  const byId = new Map(events.map((row) => [Number(row.event_id), toStoredEvent(engine, row)]));
  const event = (id: unknown): StoredEvent | null => (id === null ? null : (byId.get(Number(id)) ?? null));
  const sessions = rows.map(
    (row): ActiveSession => ({
      sessionToken: row.session_token,
      studentEmail: row.email,
      studentName: row.name,
      firstSeen: engine.decodeTime(row.first_seen),
      lastSeen: engine.decodeTime(row.last_seen),
      eventCount: Number(row.event_count),
      lastNavigation: event(row.navigation_id),
      lastError: event(row.error_id),
      lastHelpRequest: event(row.help_id),
      recentErrors: Number(row.recent_errors),
    }),
  );
  return { sessions, navigations: navigations.map((row) => toStoredEvent(engine, row)) };
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
    .orderBy('sa.last_seen', 'desc')
    .limit(query.limit);
}
