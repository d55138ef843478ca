import { sql } from 'kysely';
import type { Funnel, FunnelQuery, FunnelStep } from '../../analytics/analytics-types.js';
import type { SqlEngine } from './sql-engine.js';
import { runSessions } from './window-scope.js';

/** One row of the funnel's answer: which part of it, for which step (see selectFunnel). */
interface FunnelRow {
  part: 'ended' | 'reached' | 'current' | 'total';
  step: string | null;
  step_name: string | null;
  a: number | string | null;
  b: number | string | null;
  c: number | string | null;
}

/**
 * The class's way through the steps in a window, from what the writers keep: step_stays
 * (each stay left: how long, and where to next) and session_activity (each session's
 * current step). Times are per student: a student's stays on one step add up. Medians
 * and 90th percentiles are nearest-rank. One statement, one read of the window's stays.
 */
export async function readFunnel(engine: SqlEngine, query: FunnelQuery): Promise<Funnel> {
  const rows = await selectFunnel(engine, query);
  const steps = new Map<string, FunnelStep>();
  let students = 0;
  for (const row of rows) {
    if (row.part === 'total') {
      students = Number(row.a);
      continue;
    }
    const step = stepOf(steps, row);
    if (row.part === 'ended') Object.assign(step, { medianSeconds: seconds(row.a), p90Seconds: seconds(row.b), wentBack: Number(row.c) });
    else if (row.part === 'reached') step.reached = Number(row.a);
    else Object.assign(step, { leftHere: Number(row.a), onStepNow: Number(row.b) });
  }
  return { students, steps: [...steps.values()].sort(stepOrder) };
}

function stepOf(steps: Map<string, FunnelStep>, row: FunnelRow): FunnelStep {
  const key = JSON.stringify(row.step);
  let step = steps.get(key);
  if (step === undefined) {
    step = { step: row.step, stepName: row.step_name, reached: 0, medianSeconds: null, p90Seconds: null, leftHere: 0, wentBack: 0, onStepNow: 0 };
    steps.set(key, step);
  }
  step.stepName ??= row.step_name;
  return step;
}

const seconds = (value: number | string | null) => (value === null ? null : Math.round(Number(value) * 1000) / 1000);

/** Numbered steps by number, then named ones by name, then the stays outside any step. */
function stepOrder(a: FunnelStep, b: FunnelStep): number {
  const rank = (step: FunnelStep) => (step.step === null ? 2 : /^-?\d+(\.\d+)?$/.test(step.step) ? 0 : 1);
  return rank(a) - rank(b) || Number(a.step) - Number(b.step) || (a.step ?? '').localeCompare(b.step ?? '');
}

/**
 * The parts, each as rows of (part, step, step_name, a, b, c):
 * - ended: per step, the median (a) and p90 (b) of each student's time on it, and how
 *   many went back from it (c), over the stays left in the window;
 * - reached: per step, the students who were on it, left or still there (a);
 * - current: per step, the students on it now who are idle (a) or active (b);
 * - total: the students of the window (a).
 * The window's stays are read in (step, session) order: its bounds filter that scan
 * rather than pick an index (on SQLite, the arrival index would leave every group to a sort).
 */
function selectFunnel(engine: SqlEngine, query: FunnelQuery) {
  const arrived = engine.unindexed(sql`ss.arrived_at`);
  const since = engine.encodeTime(query.since);
  const until = engine.encodeTime(query.until);
  const backwards = sql`${engine.stepNumber(sql`ss.next_step`)} < ${engine.stepNumber(sql`ss.step`)}`;
  const idle = sql`sa.last_seen < ${engine.encodeTime(query.idleBefore)}`;
  return sql<FunnelRow>`
    WITH per_student AS (
      SELECT ss.step, ss.session_token, max(ss.step_name) AS step_name, sum(ss.seconds) AS seconds,
        max(CASE WHEN ${backwards} THEN 1 ELSE 0 END) AS went_back
      FROM step_stays ss
      WHERE ${arrived} >= ${since} AND ${arrived} < ${until} AND ${runSessions(engine, query, 'ss.session_token')}
      GROUP BY ss.step, ss.session_token
    ), current_stays AS (
      SELECT sa.step, sa.session_token, sa.step_name, CASE WHEN ${idle} THEN 1 ELSE 0 END AS idle
      FROM session_activity sa
      WHERE sa.step_event_id IS NOT NULL AND sa.last_seen >= ${since} AND sa.on_step_since < ${until}
        AND ${runSessions(engine, query, 'sa.session_token')}
    ), ranked AS (
      SELECT step, step_name, seconds, went_back,
        row_number() OVER (PARTITION BY step ORDER BY seconds) AS rank, count(*) OVER (PARTITION BY step) AS n
      FROM per_student
    ), visits AS (
      SELECT step, session_token, step_name FROM per_student
      UNION
      SELECT step, session_token, step_name FROM current_stays
    )
    SELECT 'ended' AS part, step, max(step_name) AS step_name,
      min(CASE WHEN rank >= 0.5 * n THEN seconds END) AS a, min(CASE WHEN rank >= 0.9 * n THEN seconds END) AS b, sum(went_back) AS c
    FROM ranked GROUP BY step
    UNION ALL
    SELECT 'reached', step, max(step_name), count(DISTINCT session_token), NULL, NULL FROM visits GROUP BY step
    UNION ALL
    SELECT 'current', step, max(step_name), sum(idle), sum(1 - idle), NULL FROM current_stays GROUP BY step
    UNION ALL
    SELECT 'total', NULL, NULL, count(DISTINCT session_token), NULL, NULL FROM visits`
    .execute(engine.db)
    .then((result) => result.rows);
}
