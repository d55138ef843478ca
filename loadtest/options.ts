import path from 'node:path';
import { parseArgs } from 'node:util';

/** What one `npm run loadtest` does, from its flags and environment. */
export interface LoadtestOptions {
  students: number;
  durationSeconds: number;
  instructors: number;
  /** SIGKILL one instance at 40% of the run and start it again at 60%. */
  kill: boolean;
  /** Step the class size up on each setup instead of one run. */
  capacity: boolean;
  /** Seconds of each capacity step. */
  stepSeconds: number;
  /** Where to write the result as JSON, for machines (CI); absent: stdout only. */
  jsonFile: string | undefined;
  /** A PostgreSQL URL allowed to CREATE DATABASE; each run's database is made beside it. */
  adminUrl: string;
  seed: number;
  /** The repository root (dist/server.js, deploy/nginx). */
  root: string;
}

export class UsageError extends Error {}

export const USAGE = `npm run loadtest -- [options]
  --students N      class size (500; --short: 200)
  --duration S      seconds of class (120; --short: 35)
  --instructors N   dashboards open (5)
  --short           the CI version: about a minute in all
  --no-kill         no instance is killed
  --capacity        step the class up on 1 instance on SQLite and 2 on PostgreSQL (or LOADTEST_CAPACITY=1)
  --step-seconds S  seconds per capacity step (30)
  --json FILE       also write the result as JSON
  --seed N          the class's seed (42)
Env: LOADTEST_DATABASE_URL (else TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test).`;

export function readOptions(args: readonly string[], env: NodeJS.ProcessEnv): LoadtestOptions {
  const { values } = parseArgs({
    args: [...args],
    options: {
      students: { type: 'string' },
      duration: { type: 'string' },
      instructors: { type: 'string' },
      short: { type: 'boolean', default: false },
      'no-kill': { type: 'boolean', default: false },
      capacity: { type: 'boolean', default: env.LOADTEST_CAPACITY === '1' },
      'step-seconds': { type: 'string' },
      json: { type: 'string' },
      seed: { type: 'string' },
    },
    strict: true,
  });
  return {
    students: count('students', values.students, values.short ? 200 : 500),
    durationSeconds: count('duration', values.duration, values.short ? 35 : 120),
    instructors: count('instructors', values.instructors, 5),
    kill: !values['no-kill'],
    capacity: values.capacity,
    stepSeconds: count('step-seconds', values['step-seconds'], 30),
    jsonFile: values.json,
    adminUrl: env.LOADTEST_DATABASE_URL ?? env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    seed: count('seed', values.seed, 42),
    root: path.resolve(import.meta.dirname, '..'),
  };
}

function count(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`--${name}: expected a positive integer, got "${raw}"`);
  return value;
}
