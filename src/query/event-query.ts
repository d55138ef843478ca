import { BadRequestError } from '../errors.js';
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
    since: instant('since', qs.since),
    until: instant('until', qs.until),
    dataFilters: parseDataFilters(qs),
    order,
    afterEventId: qs.cursor === undefined ? undefined : decodeCursor(qs.cursor, order),
    limit: qs.limit ?? DEFAULT_LIMIT,
  };
}

/** The schema's date-time format admits what Date cannot represent, such as a leap second. */
function instant(name: string, text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const time = new Date(text);
  if (Number.isNaN(time.getTime())) {
    throw new BadRequestError('invalid_request', `querystring/${name} is not a representable instant`);
  }
  return time;
}
