import { sql } from 'kysely';
import type { Funnel, FunnelQuery, FunnelStep } from '../../analytics/analytics-types.js';
import type { SqlEngine } from './sql-engine.js';
import { runSessions } from './window-scope.js';

interface StayRow {
  step: string | null;
  step_name: string | null;
  median: number | string | null;
  p90: number | string | null;
  went_back: number | string;
}

interface CurrentRow {
  step: string | null;
  step_name: string | null;
  left_here: number | string;
  on_now: number | string;
}

/**
 * The class's way through the steps in a window, from what the writers keep: step_stays
 * (each stay left: how long, and where to next) and session_activity (each session's
 * current step). Times are per student: a student's stays on one step add up. Medians
 * and 90th percentiles are nearest-rank, computed by the database.
 */
export async function readFunnel(engine: SqlEngine, query: FunnelQuery): Promise<Funnel> {
  const [stays, current, students] = await Promise.all([selectStays(engine, query), selectCurrent(engine, query), countStudents(engine, query)]);
  const steps = new Map<string, FunnelStep>();
  const stepOf = (row: { step: string | null; step_name: string | null }) => {
    const key = JSON.stringify(row.step);
    let step = steps.get(key);
    if (step === undefined) {
      step = { step: row.step, stepName: row.step_name, reached: 0, medianSeconds: null, p90Seconds: null, leftHere: 0, wentBack: 0, onStepNow: 0 };
      steps.set(key, step);
    }
    step.stepName ??= row.step_name;
    return step;
  };
  for (const row of stays) {
    Object.assign(stepOf(row), { medianSeconds: seconds(row.median), p90Seconds: seconds(row.p90), wentBack: Number(row.went_back) });
  }
  for (const row of current) Object.assign(stepOf(row), { leftHere: Number(row.left_here), onStepNow: Number(row.on_now) });
  for (const row of students.perStep) stepOf(row).reached = Number(row.reached);
  return { students: students.total, steps: [...steps.values()].sort(stepOrder) };
}

const seconds = (value: number | string | null) => (value === null ? null : Math.round(Number(value) * 1000) / 1000);

/** Numbered steps by number, then named ones by name, then the stays outside any step. */
function stepOrder(a: FunnelStep, b: FunnelStep): number {
  const rank = (step: FunnelStep) => (step.step === null ? 2 : /^-?\d+(\.\d+)?$/.test(step.step) ? 0 : 1);
  return rank(a) - rank(b) || Number(a.step) - Number(b.step) || (a.step ?? '').localeCompare(b.step ?? '');
}

/**
 * A window's stays, read in (step, session) order: the window's bounds filter that scan
 * rather than pick an index (on SQLite, the arrival index would leave every group to a sort).
 */
function staysInWindow(engine: SqlEngine, query: FunnelQuery) {
  const arrived = engine.unindexed(sql`ss.arrived_at`);
  return sql`FROM step_stays ss
    WHERE ${arrived} >= ${engine.encodeTime(query.since)} AND ${arrived} < ${engine.encodeTime(query.until)}
      AND ${runSessions(engine, query, 'ss.session_token')}`;
}

/** Current stays begun before the window's end, of sessions active since its start. */
function currentInWindow(engine: SqlEngine, query: FunnelQuery) {
  return sql`FROM session_activity sa
    WHERE sa.step_event_id IS NOT NULL AND sa.last_seen >= ${engine.encodeTime(query.since)} AND sa.on_step_since < ${engine.encodeTime(query.until)}
      AND ${runSessions(engine, query, 'sa.session_token')}`;
}

function selectStays(engine: SqlEngine, query: FunnelQuery) {
  const backwards = sql`${engine.stepNumber(sql`ss.next_step`)} < ${engine.stepNumber(sql`ss.step`)}`;
  return sql<StayRow>`
    WITH per_student AS (
      SELECT ss.step, max(ss.step_name) AS step_name, ss.session_token, sum(ss.seconds) AS seconds,
        max(CASE WHEN ${backwards} THEN 1 ELSE 0 END) AS went_back
      ${staysInWindow(engine, query)}
      GROUP BY ss.step, ss.session_token
    ), ranked AS (
      SELECT per_student.*, row_number() OVER (PARTITION BY step ORDER BY seconds) AS rank, count(*) OVER (PARTITION BY step) AS n
      FROM per_student
    )
    SELECT step, max(step_name) AS step_name, sum(went_back) AS went_back,
      min(CASE WHEN rank >= 0.5 * n THEN seconds END) AS median,
      min(CASE WHEN rank >= 0.9 * n THEN seconds END) AS p90
    FROM ranked GROUP BY step`
    .execute(engine.db)
    .then((result) => result.rows);
}

function selectCurrent(engine: SqlEngine, query: FunnelQuery) {
  const idle = sql`sa.last_seen < ${engine.encodeTime(query.idleBefore)}`;
  return sql<CurrentRow>`
    SELECT sa.step, max(sa.step_name) AS step_name,
      sum(CASE WHEN ${idle} THEN 1 ELSE 0 END) AS left_here, sum(CASE WHEN ${idle} THEN 0 ELSE 1 END) AS on_now
    ${currentInWindow(engine, query)}
    GROUP BY sa.step`
    .execute(engine.db)
    .then((result) => result.rows);
}

/** Students per step (left or still there) and in all, each counted once, in one read of the stays. */
async function countStudents(engine: SqlEngine, query: FunnelQuery) {
  const { rows } = await sql<{ total: number; step: string | null; step_name: string | null; reached: number | string }>`
    WITH visits AS (
      SELECT ss.step, ss.session_token, max(ss.step_name) AS step_name ${staysInWindow(engine, query)} GROUP BY ss.step, ss.session_token
      UNION
      SELECT sa.step, sa.session_token, sa.step_name ${currentInWindow(engine, query)}
    )
    SELECT 0 AS total, v.step, max(v.step_name) AS step_name, count(DISTINCT v.session_token) AS reached FROM visits v GROUP BY v.step
    UNION ALL
    SELECT 1, NULL, NULL, count(DISTINCT v.session_token) FROM visits v`.execute(engine.db);
  const perStep = rows.filter((row) => Number(row.total) === 0);
  return { perStep, total: Number(rows.find((row) => Number(row.total) === 1)?.reached ?? 0) };
}
