import path from 'node:path';

/** What one bench run does, read once from the environment. */
export interface BenchConfig {
  quick: boolean;
  /** Rounds of alternating load over the ingest servers; the median round is reported. */
  rounds: number;
  /** Seconds of load per server per round (ingest), and of the direct bulk insert. */
  seconds: number;
  /** Seconds of load per read measurement. */
  readSeconds: number;
  /** Unmeasured load on each server before its first round. */
  warmupSeconds: number;
  ingestConnections: number;
  readConnections: number;
  batchSize: number;
  /** Rows of the two read-phase databases, small then large. */
  readRows: readonly [number, number];
  /** Rows of the analytics and export database. */
  analyticsRows: number;
  /** Rows of the PostgreSQL retention scenario's database. */
  retentionRows: number;
  /** A PostgreSQL URL allowed to CREATE DATABASE; the bench databases are made beside it. */
  adminUrl: string;
  skipBuild: boolean;
  /** Which phases run (BENCH_PHASES, comma-separated; all by default). */
  phases: ReadonlySet<Phase>;
  /** The repository root. */
  root: string;
}

export const PHASES = ['ingest', 'batch', 'reads', 'live', 'instances', 'analytics', 'retention'] as const;
export type Phase = (typeof PHASES)[number];

export function loadBenchConfig(env: NodeJS.ProcessEnv): BenchConfig {
  const quick = env.BENCH_QUICK === '1';
  return {
    quick,
    rounds: positiveInt(env, 'BENCH_ROUNDS', quick ? 1 : 3),
    seconds: positiveInt(env, 'BENCH_SECONDS', quick ? 2 : 5),
    readSeconds: positiveInt(env, 'BENCH_READ_SECONDS', quick ? 2 : 4),
    warmupSeconds: 1,
    ingestConnections: 50,
    readConnections: 10,
    batchSize: 100,
    readRows: quick ? [20_000, 200_000] : [200_000, 2_000_000],
    analyticsRows: quick ? 200_000 : 1_000_000,
    retentionRows: quick ? 1_000_000 : 10_000_000,
    adminUrl: env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    skipBuild: env.BENCH_SKIP_BUILD === '1',
    phases: parsePhases(env.BENCH_PHASES),
    root: path.resolve(import.meta.dirname, '..', '..'),
  };
}

function parsePhases(raw: string | undefined): ReadonlySet<Phase> {
  if (raw === undefined || raw === '') return new Set(PHASES);
  const names = raw.split(',').map((name) => name.trim());
  const unknown = names.find((name) => !(PHASES as readonly string[]).includes(name));
  if (unknown !== undefined) throw new Error(`BENCH_PHASES: unknown phase "${unknown}" (known: ${PHASES.join(', ')})`);
  return new Set(names as Phase[]);
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name}: expected a positive integer, got "${raw}"`);
  return value;
}
