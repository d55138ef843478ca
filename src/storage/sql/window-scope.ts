import { sql, type Expression, type SqlBool } from 'kysely';
import type { AnalyticsWindow } from '../../analytics/analytics-types.js';

/** The run's conditions and, if bounded, the time they are looked for in. */
type RunWindow = Pick<AnalyticsWindow, 'dataFilters'> & Partial<Pick<AnalyticsWindow, 'since' | 'until'>>;
import { dataFilter } from './data-filter.js';
import type { SqlEngine } from './sql-engine.js';

/**
 * `<column> IN (…)`: the sessions of one workshop run, those that logged an event matching
 * the window's data filters within it; true when it has none.
 */
export function runSessions(engine: SqlEngine, window: RunWindow, column: string): Expression<SqlBool> {
  if (window.dataFilters.length === 0) return sql<SqlBool>`TRUE`;
  let run = engine.db
    .selectFrom('events as e')
    .select('e.session_token')
    .where((eb) => eb.and(window.dataFilters.map((filter) => dataFilter(engine, filter))));
  if (window.since !== undefined) run = run.where('e.created_at', '>=', engine.encodeTime(window.since));
  if (window.until !== undefined) run = run.where('e.created_at', '<', engine.encodeTime(window.until));
  return sql<SqlBool>`${sql.ref(column)} IN (${run})`;
}
