import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { EventQuery, ExportQuery, StoredEvent } from '../types.js';
import type { Database } from './database.js';
import { dataFilter } from './data-filter.js';
import type { SqlEngine } from './sql-engine.js';
import { runSessions } from './window-scope.js';

type EventsScope = ExpressionBuilder<Database & { e: Database['events'] }, 'e'>;

/**
 * The read behind GET /api/session-log: every field of the query narrows the result, and
 * so does `horizon` (SqlEngine.followHorizon) when given.
 */
export function selectEvents(engine: SqlEngine, query: EventQuery | ExportQuery, horizon?: Expression<SqlBool>) {
  const selected = engine.db
    .selectFrom('events as e')
    .leftJoin('students as s', 's.student_id', 'e.student_id')
    .select([
      'e.event_id',
      'e.session_token',
      'e.event_type',
      'e.event_data',
      'e.created_at',
      's.email as student_email',
      's.name as student_name',
      'e.seq',
    ])
    .where((eb) => eb.and([...conditions(engine, query, eb as unknown as EventsScope), ...(horizon === undefined ? [] : [horizon])]))
    .orderBy('e.event_id', query.order);
  return query.limit === undefined ? selected : selected.limit(query.limit);
}

type EventRow = Awaited<ReturnType<ReturnType<typeof selectEvents>['executeTakeFirstOrThrow']>>;

/** A row of selectEvents as the API returns it. */
export function toStoredEvent(engine: SqlEngine, row: EventRow): StoredEvent {
  return {
    event_id: engine.decodeId(row.event_id),
    session_token: row.session_token,
    event_type: row.event_type,
    event_data: engine.decodeData(row.event_data),
    created_at: engine.decodeTime(row.created_at),
    student_email: row.student_email,
    student_name: row.student_name,
    seq: row.seq === null ? null : Number(row.seq),
  };
}

function conditions(engine: SqlEngine, query: EventQuery | ExportQuery, eb: EventsScope): Array<Expression<SqlBool>> {
  const where: Array<Expression<SqlBool>> = [];
  if (query.sessionToken !== undefined) where.push(eb('e.session_token', '=', query.sessionToken));
  if (query.studentEmail !== undefined) {
    const studentId = eb.selectFrom('students').select('student_id').where('email', '=', query.studentEmail);
    where.push(eb('e.student_id', '=', studentId));
  }
  if (query.eventType !== undefined) where.push(eb(eventTypeTerm(query, eb), '=', query.eventType));
  if (query.since !== undefined) where.push(eb('e.created_at', '>=', engine.encodeTime(query.since)));
  if (query.until !== undefined) where.push(eb('e.created_at', '<', engine.encodeTime(query.until)));
  if (query.afterEventId !== undefined) {
    where.push(eb('e.event_id', query.order === 'asc' ? '>' : '<', query.afterEventId));
  }
  for (const filter of query.dataFilters) where.push(dataFilter(engine, filter));
  if ('runFilters' in query && query.runFilters !== undefined && query.runFilters.length > 0) {
    where.push(runSessions(engine, { dataFilters: query.runFilters, since: query.since, until: query.until }, 'e.session_token'));
  }
  return where;
}

/**
 * Within one session the session's index is the one to read: bounded by the session's
 * size. Without statistics SQLite may pick (event_type, event_id) instead, which grows
 * with the table (18 ms at 200 k events against 0.1 ms), so the type is then compared as
 * an expression that no index covers (on both engines: the same rows, one plan).
 */
function eventTypeTerm(query: EventQuery | ExportQuery, eb: EventsScope) {
  return query.sessionToken === undefined ? eb.ref('e.event_type') : sql<string>`${eb.ref('e.event_type')} || ''`;
}
