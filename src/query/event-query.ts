import { DEFAULT_LIMIT, type EventQueryString } from '../schemas/event-query.js';
import type { EventQuery } from '../storage/types.js';
import { decodeCursor } from './cursor.js';
import { parseDataFilters } from './data-filters.js';

/** Turns a validated query string into the store's query. */
export function toEventQuery(qs: EventQueryString): EventQuery {
  const order = qs.order ?? 'desc';
  return {
    sessionToken: qs.sessionToken,
    studentEmail: qs.studentEmail?.toLowerCase(),
    eventType: qs.eventType,
    since: qs.since === undefined ? undefined : new Date(qs.since),
    until: qs.until === undefined ? undefined : new Date(qs.until),
    dataFilters: parseDataFilters(qs),
    order,
    afterEventId: qs.cursor === undefined ? undefined : decodeCursor(qs.cursor, order),
    limit: qs.limit ?? DEFAULT_LIMIT,
  };
}
