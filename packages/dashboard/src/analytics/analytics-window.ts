import { apiFilters } from '../data-filters.js';
import { copyInstants } from '../local-time.js';

/** The windows offered, each ending now; `custom` takes the URL's since and until instead. */
export const WINDOWS = [
  { value: '1h', label: 'last 1 h', hours: 1 },
  { value: '3h', label: 'last 3 h', hours: 3 },
  { value: '24h', label: 'last 24 h', hours: 24 },
  { value: '7d', label: 'last 7 days', hours: 7 * 24 },
];
export const CUSTOM = 'custom';
export const DEFAULT_WINDOW = '24h';

/** The URL's window: one of WINDOWS' values, or CUSTOM. */
export const windowOf = (query: URLSearchParams) => query.get('window') ?? DEFAULT_WINDOW;

/**
 * The analytics routes' query for the page's URL (?view=analytics&window=3h&filters=…):
 * the window as instants, so that the three reports cover the same one, and the
 * workshop-run conditions as `data.<field>`; throws on a mistyped condition.
 * Example: `reportQuery(new URLSearchParams('window=3h&filters=workshopId%3Dspring-26'))` → `data.workshopId=spring-26&since=…&until=…`
 */
export function reportQuery(query: URLSearchParams, now: number): URLSearchParams {
  const api = apiFilters(query, []);
  const preset = WINDOWS.find((window) => window.value === windowOf(query));
  if (preset === undefined) copyInstants(query, api);
  else api.set('since', new Date(now - preset.hours * 3_600_000).toISOString());
  // Stated even when it is now: the three reports end at the same instant, and a refresh asks anew.
  if (!api.has('until')) api.set('until', new Date(now).toISOString());
  return api;
}
