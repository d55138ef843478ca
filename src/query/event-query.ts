import { BadRequestError } from '../errors.js';
import type { EventFilter } from '../live/event-matcher.js';
import { DEFAULT_LIMIT, type EventQueryString, type StreamFilters } from '../schemas/event-query.js';
import type { EventQuery } from '../storage/types.js';
import { decodeCursor } from './cursor.js';
import { parseDataFilters } from './data-filters.js';

/** Turns a validated query string into the store's query. */
export function toEventQuery(qs: EventQueryString): EventQuery {
  const order = qs.order ?? 'desc';
  return {
    ...toEventFilter(qs),
    since: instant('since', qs.since),
    until: instant('until', qs.until),
    order,
    afterEventId: qs.cursor === undefined ? undefined : decodeCursor(qs.cursor, order),
    limit: qs.limit ?? DEFAULT_LIMIT,
  };
}

/** Turns validated filters (of a query string, or a WebSocket subscription) into what selects events. */
export function toEventFilter(filters: StreamFilters): EventFilter {
  return {
    sessionToken: filters.sessionToken,
    studentEmail: filters.studentEmail?.toLowerCase(),
    eventType: filters.eventType,
    dataFilters: parseDataFilters(filters),
  };
}

/** What stored times span: SQLite compares them as text, which only sorts within these years. */
const FIRST_INSTANT = Date.parse('0000-01-01T00:00:00.000Z');
const LAST_INSTANT = Date.parse('9999-12-31T23:59:59.999Z');

/**
 * A bound in whole milliseconds, as times are stored. Both bounds round up: `since`
 * 10.4379 keeps out an event of 10.437, and `until` 10.4379 keeps it in. Instants past
 * the years stored times span mean the same as those years' ends.
 */
export function instant(name: string, text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const time = new Date(text).getTime();
  // The schema's date-time format admits what Date cannot represent, such as a leap second.
  if (Number.isNaN(time)) throw new BadRequestError('invalid_request', `querystring/${name} is not a representable instant`);
  const submillisecond = /\.\d{3}\d*[1-9]/.test(text) ? 1 : 0;
  return new Date(Math.min(Math.max(time + submillisecond, FIRST_INSTANT), LAST_INSTANT));
}
