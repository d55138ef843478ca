import { BadRequestError } from '../errors.js';
import { parseDataFilters } from '../query/data-filters.js';
import { instant } from '../query/event-query.js';
import type { WindowQuery } from './analytics-schemas.js';
import type { AnalyticsWindow } from './analytics-types.js';

const DEFAULT_SPAN_MS = 24 * 3600 * 1000;

/** A validated window query as the store's: the last 24 hours by default. */
export function toAnalyticsWindow(query: WindowQuery, now = new Date()): AnalyticsWindow {
  const until = instant('until', query.until) ?? now;
  const since = instant('since', query.since) ?? new Date(until.getTime() - DEFAULT_SPAN_MS);
  if (since >= until) throw new BadRequestError('invalid_request', 'querystring/since must be before until');
  return { since, until, dataFilters: parseDataFilters(query) };
}

/** The window as the answers state it. */
export const windowJson = (window: AnalyticsWindow) => ({ since: window.since.toISOString(), until: window.until.toISOString() });
