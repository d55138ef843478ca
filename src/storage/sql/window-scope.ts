import { sql, type Expression, type SqlBool } from 'kysely';
import type { AnalyticsWindow } from '../../analytics/analytics-types.js';
import { dataFilter } from './data-filter.js';
import type { SqlEngine } from './sql-engine.js';

/**
 * `<column> IN (…)`: the sessions of one workshop run, those that logged an event matching
 * the window's data filters within it; true when it has none.
 */
export function runSessions(engine: SqlEngine, window: AnalyticsWindow, column: string): Expression<SqlBool> {
  if (window.dataFilters.length === 0) return sql<SqlBool>`TRUE`;
  const run = engine.db
    .selectFrom('events as e')
    .select('e.session_token')
    .where('e.created_at', '>=', engine.encodeTime(window.since))
    .where('e.created_at', '<', engine.encodeTime(window.until))
    .where((eb) => eb.and(window.dataFilters.map((filter) => dataFilter(engine, filter))));
  return sql<SqlBool>`${sql.ref(column)} IN (${run})`;
}
