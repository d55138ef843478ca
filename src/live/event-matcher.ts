import type { DataFilter, EventQuery, StoredEvent } from '../storage/types.js';

/** The part of a query a live subscriber filters by. */
export type EventFilter = Pick<EventQuery, 'sessionToken' | 'studentEmail' | 'eventType' | 'dataFilters'>;

/** What a path leads to in event data; `present: false` is SQL's NULL (no such field). */
type Field = { present: false } | { present: true; value: unknown };

const ABSENT: Field = { present: false };

/**
 * True when the stored event is one the same query's SQL read would return (see
 * selectEvents and dataFilter), decided in memory so that a live stream need not ask the
 * database about each new event. `event_data` is JSON, as stored (parsed from a request or
 * read back). The time bounds, cursor and limit are not part of it: they place a read in
 * the history, which a live stream is past.
 *
 * @example
 * const filter = { eventType: 'api_call', dataFilters: [{ path: ['status'], op: 'gte', value: 400 }] };
 * matchesFilter(event, filter); // true for an api_call whose event_data.status is a number >= 400
 */
export function matchesFilter(event: StoredEvent, filter: EventFilter): boolean {
  if (filter.sessionToken !== undefined && event.session_token !== filter.sessionToken) return false;
  // The read compares the stored (lower-cased) email exactly; toEventQuery lower-cases the query's.
  if (filter.studentEmail !== undefined && event.student_email !== filter.studentEmail) return false;
  if (filter.eventType !== undefined && event.event_type !== filter.eventType) return false;
  return filter.dataFilters.every((condition) => holds(fieldAt(event.event_data, condition.path), condition));
}

function holds(field: Field, { op, value }: DataFilter): boolean {
  if (!field.present) return false;
  // Event data is JSON and a filter's value a JSON scalar, so === is "same JSON type and
  // value": 400 !== "400", true !== "true", an object or array equals no scalar, and
  // -0 === 0 as in both databases (JSON.stringify stores -0 as 0 anyway).
  switch (op) {
    case 'eq':
      return field.value === value;
    case 'ne':
      return field.value !== value;
    default:
      // Number(), as dataFilter does: the query API only ever gives these a number.
      return typeof field.value === 'number' && compare(field.value, op, Number(value));
  }
}

function compare(actual: number, op: 'gt' | 'gte' | 'lt' | 'lte', expected: number): boolean {
  switch (op) {
    case 'gt':
      return actual > expected;
    case 'gte':
      return actual >= expected;
    case 'lt':
      return actual < expected;
    case 'lte':
      return actual <= expected;
  }
}

/**
 * The field at `path`, descending through objects only, as SQLite's `$."a"."b"` and
 * PostgreSQL's `#>` (with keys that are not array indexes, which the query schema
 * guarantees) do. Own keys only: `toString` or `constructor` are not fields of `{}`;
 * and not arrays, whose own `length` is no field to either database.
 */
function fieldAt(data: Record<string, unknown>, path: readonly string[]): Field {
  let current: unknown = data;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return ABSENT;
    if (!Object.hasOwn(current, key)) return ABSENT;
    current = (current as Record<string, unknown>)[key];
  }
  return { present: true, value: current };
}
