import { sql } from 'kysely';
import type { AffectedStudent, ProblemGroup, ProblemQuery, ProblemReport, StepCount } from '../../analytics/analytics-types.js';
import type { SqlEngine } from './sql-engine.js';
import { runSessions } from './window-scope.js';

/** The students listed per group, the most recently hit first. */
const MAX_AFFECTED = 20;

interface BucketRow {
  label: string | null;
  pattern: string;
  status: number | null;
  bucket: number;
  step: string | null;
  step_name: string | null;
  n: number | string;
  first_ms: number | string;
  last_ms: number | string;
  latest_id: number | string;
}

interface StudentRow {
  label: string | null;
  pattern: string;
  status: number | null;
  session_token: string;
  n: number | string;
  last_ms: number | string;
  students: number | string;
  email: string | null;
  name: string | null;
}

/**
 * Errors or failed API calls of a window, grouped into bugs, from event_problems' index
 * alone, in two reads: counts per group, bucket and step; then the students per group.
 * Only the latest event of each group listed is read from events.
 */
export async function readProblems(engine: SqlEngine, query: ProblemQuery): Promise<ProblemReport> {
  const bucketSeconds = Math.max(1, Math.ceil((query.until.getTime() - query.since.getTime()) / 1000 / query.buckets));
  const [buckets, students] = await Promise.all([selectBuckets(engine, query, bucketSeconds), selectStudents(engine, query)]);
  const groups = foldGroups(engine, buckets, query.buckets)
    .sort((a, b) => b.count - a.count || b.lastSeen.localeCompare(a.lastSeen) || a.key.localeCompare(b.key))
    .slice(0, query.limit);
  const examples = await selectExamples(engine, query.kind, groups);
  const affected = groupStudents(students);
  return {
    bucketSeconds,
    total: buckets.reduce((sum, row) => sum + Number(row.n), 0),
    groups: groups.map(({ latestId, key, ...group }) => ({
      ...group,
      example: examples.get(latestId) ?? null,
      students: affected.get(key)?.students ?? 0,
      affected: affected.get(key)?.list ?? [],
    })),
  };
}

/** The window's problems of one kind, in the clause every read here shares. */
function fromWindow(engine: SqlEngine, query: ProblemQuery) {
  return sql`FROM event_problems p
    WHERE p.kind = ${query.kind} AND p.at_ms >= ${sql.lit(query.since.getTime())} AND p.at_ms < ${sql.lit(query.until.getTime())}
      AND ${runSessions(engine, query, 'p.session_token')}`;
}

/** Calls group by status too (a 401 and a 500 on one endpoint are two bugs); errors do not. */
const statusKey = (query: ProblemQuery) => (query.kind === 'api_call' ? sql`p.status` : sql`NULL`);

function selectBuckets(engine: SqlEngine, query: ProblemQuery, bucketSeconds: number) {
  // Integers, written out: integer division on both engines.
  const bucket = sql`(p.at_ms - ${sql.lit(query.since.getTime())}) / ${sql.lit(bucketSeconds * 1000)}`;
  return sql<BucketRow>`
    SELECT p.label, p.pattern, ${statusKey(query)} AS status, ${bucket} AS bucket, p.step, p.step_name,
      count(*) AS n, min(p.at_ms) AS first_ms, max(p.at_ms) AS last_ms, max(p.event_id) AS latest_id
    ${fromWindow(engine, query)}
    GROUP BY p.label, p.pattern, 3, 4, p.step, p.step_name`
    .execute(engine.db)
    .then((result) => result.rows);
}

function selectStudents(engine: SqlEngine, query: ProblemQuery) {
  return sql<StudentRow>`
    WITH per_session AS (
      SELECT p.label, p.pattern, ${statusKey(query)} AS status, p.session_token, count(*) AS n, max(p.at_ms) AS last_ms
      ${fromWindow(engine, query)}
      GROUP BY p.label, p.pattern, 3, p.session_token
    ), ranked AS (
      SELECT per_session.*,
        row_number() OVER (PARTITION BY label, pattern, status ORDER BY last_ms DESC, session_token) AS rank,
        count(*) OVER (PARTITION BY label, pattern, status) AS students
      FROM per_session
    )
    SELECT r.label, r.pattern, r.status, r.session_token, r.n, r.last_ms, r.students, st.email, st.name
    FROM ranked r
    LEFT JOIN sessions s ON s.session_token = r.session_token
    LEFT JOIN students st ON st.student_id = s.student_id
    WHERE r.rank <= ${MAX_AFFECTED}`
    .execute(engine.db)
    .then((result) => result.rows);
}

const isoTime = (ms: number | string) => new Date(Number(ms)).toISOString();

const groupKey = (row: { label: string | null; pattern: string; status: number | null }) =>
  JSON.stringify([row.label, row.pattern, row.status === null ? null : Number(row.status)]);

type FoldedGroup = Omit<ProblemGroup, 'example' | 'students' | 'affected'> & { key: string; latestId: number };

function foldGroups(engine: SqlEngine, rows: readonly BucketRow[], buckets: number): FoldedGroup[] {
  const groups = new Map<string, FoldedGroup & { stepCounts: Map<string, StepCount> }>();
  for (const row of rows) {
    const key = groupKey(row);
    const n = Number(row.n);
    const firstSeen = isoTime(row.first_ms);
    const lastSeen = isoTime(row.last_ms);
    let group = groups.get(key);
    if (group === undefined) {
      const status = row.status === null ? null : Number(row.status);
      group = { key, label: row.label, pattern: row.pattern, status, count: 0, steps: [], firstSeen, lastSeen, trend: new Array<number>(buckets).fill(0), latestId: 0, stepCounts: new Map() };
      groups.set(key, group);
    }
    group.count += n;
    const bucket = Math.min(Math.max(Number(row.bucket), 0), buckets - 1);
    group.trend[bucket] = (group.trend[bucket] ?? 0) + n;
    if (firstSeen < group.firstSeen) group.firstSeen = firstSeen;
    if (lastSeen > group.lastSeen) group.lastSeen = lastSeen;
    group.latestId = Math.max(group.latestId, engine.decodeId(row.latest_id));
    const stepKey = JSON.stringify([row.step, row.step_name]);
    const step = group.stepCounts.get(stepKey) ?? { step: row.step, stepName: row.step_name, count: 0 };
    step.count += n;
    group.stepCounts.set(stepKey, step);
  }
  return [...groups.values()].map(({ stepCounts, ...group }) => ({ ...group, steps: [...stepCounts.values()].sort((a, b) => b.count - a.count) }));
}

function groupStudents(rows: readonly StudentRow[]): Map<string, { students: number; list: AffectedStudent[] }> {
  const byGroup = new Map<string, { students: number; list: AffectedStudent[] }>();
  for (const row of rows) {
    const key = groupKey(row);
    const entry = byGroup.get(key) ?? { students: Number(row.students), list: [] };
    entry.list.push({ sessionToken: row.session_token, studentEmail: row.email, studentName: row.name, count: Number(row.n), lastSeen: isoTime(row.last_ms) });
    byGroup.set(key, entry);
  }
  for (const entry of byGroup.values()) entry.list.sort((a, b) => b.lastSeen.localeCompare(a.lastSeen) || a.sessionToken.localeCompare(b.sessionToken));
  return byGroup;
}

/** Each listed group's latest raw message (errors) or endpoint (calls), by event id. */
async function selectExamples(engine: SqlEngine, kind: ProblemQuery['kind'], groups: readonly FoldedGroup[]): Promise<Map<number, string>> {
  if (groups.length === 0) return new Map();
  const rows = await engine.db
    .selectFrom('events')
    .select(['event_id', 'event_data'])
    .where('event_id', 'in', groups.map((group) => group.latestId))
    .execute();
  return new Map(
    rows.flatMap((row) => {
      const data = engine.decodeData(row.event_data);
      const example = kind === 'error' ? (data.errorMessage ?? data.message) : (data.endpoint ?? data.url);
      return typeof example === 'string' ? [[engine.decodeId(row.event_id), example] as const] : [];
    }),
  );
}
