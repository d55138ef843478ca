import type { BenchConfig } from './config.js';
import type { PostgresDatabases } from './databases.js';
import type { ServerSpec } from './processes.js';
import type { Report } from './stats.js';

/** What every phase of the bench works with. */
export interface BenchContext {
  config: BenchConfig;
  report: Report;
  databases: PostgresDatabases;
  /** Removed at the end of the run; SQLite files go here. */
  tmpDir: string;
  /** A progress line on stderr (results go to stdout). */
  log: (line: string) => void;
}

/** Any 16+ characters: the service's instructor token for GET requests. */
export const ADMIN_TOKEN = 'bench-instructor-token-0123456789';

/**
 * The bench's load comes from one address and 200 sessions, far past the service's default
 * limits: limits that are counted, as in production, but never reached.
 */
export const UNREACHED_LIMIT = 999_999_999;
const UNREACHED_RATE_LIMITS = { RATE_LIMIT_INGEST_PER_IP: String(UNREACHED_LIMIT), RATE_LIMIT_INGEST_PER_SESSION: String(UNREACHED_LIMIT) };

/** The real service, built (dist/server.js), on `databaseUrl`. */
export function serviceSpec(config: BenchConfig, name: string, databaseUrl: string): ServerSpec {
  return {
    name,
    args: ['dist/server.js'],
    cwd: config.root,
    // The seeded events are from 2025: the service's default retention (90 days) would remove
    // them while they are measured. The retention phase sets its own.
    env: { DATABASE_URL: databaseUrl, SESSION_LOG_ADMIN_TOKEN: ADMIN_TOKEN, LOG_LEVEL: 'warn', RETENTION_DAYS: '0', ...UNREACHED_RATE_LIMITS },
    readyPath: '/healthz',
  };
}

/** One of bench/servers/*.ts, run through the tsx loader. */
export function benchServerSpec(config: BenchConfig, name: string, file: string, env: Record<string, string> = {}): ServerSpec {
  return { name, args: ['--import', 'tsx', `bench/servers/${file}`], cwd: config.root, env, readyPath: '/healthz' };
}

/** 200000 → "200k", 2000000 → "2M". */
export function rowsLabel(rows: number): string {
  if (rows >= 1_000_000 && rows % 100_000 === 0) return `${rows / 1_000_000}M`;
  if (rows >= 1000 && rows % 1000 === 0) return `${rows / 1000}k`;
  return String(rows);
}
