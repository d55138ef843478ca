import { isIP } from 'node:net';
import path from 'node:path';
import { Value } from 'typebox/value';
import { Type } from 'typebox';
import { DEFAULT_RATE_LIMITS, type RateLimits } from './http/rate-limits.js';
import { StatusRules } from './sessions/overview-schema.js';

/** Everything the service reads from its environment, parsed and checked once at start. */
export interface Config {
  port: number;
  host: string;
  /** `sqlite:<path>`, `sqlite::memory:` or `postgres://…`. */
  databaseUrl: string;
  /** Where the generated instructor token is kept (and the SQLite file by default). */
  dataDir: string;
  /** Unset: generated at first start and kept in `dataDir`. */
  adminToken: string | undefined;
  /** Origins allowed to POST events from a browser; `'*'` allows any. */
  corsOrigins: '*' | string[];
  logLevel: string;
  /** The class overview's status rules where they differ from the defaults. */
  statusRules: Partial<StatusRules>;
  /** Which proxies' X-Forwarded-* headers to believe (Fastify's trustProxy); none by default. */
  trustProxy: false | string;
  /** Live connections (streams, WebSockets) one instance serves at once. */
  liveMaxConnections: number;
  /** Where the dashboard is reached from outside, for links in webhooks; null: no links. */
  publicUrl: string | null;
  /** Let webhooks reach loopback and private addresses (a closed network, tests). */
  allowPrivateWebhooks: boolean;
  /** Events older than this many days are removed by the service; 0 keeps them forever. */
  retentionDays: number;
  /** Requests per minute per instance; 0 turns a limit off. */
  rateLimits: RateLimits;
  /** A token that may read GET /metrics and nothing else; null: the instructor token only. */
  metricsToken: string | null;
}

/** A bad environment value; its message is one line naming the variable. */
export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

const DEFAULT_DATA_DIR = 'data';
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
export const MIN_TOKEN_LENGTH = 16;

/** Parses the environment; throws a ConfigError on the first bad value. */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const databaseUrl = parseDatabaseUrl(env.DATABASE_URL);
  return {
    port: parsePort(env.PORT),
    host: nonEmpty('HOST', env.HOST) ?? '127.0.0.1',
    databaseUrl,
    dataDir: dataDirFor(databaseUrl),
    adminToken: parseSecret('SESSION_LOG_ADMIN_TOKEN', env.SESSION_LOG_ADMIN_TOKEN),
    corsOrigins: parseCorsOrigins(env.CORS_ORIGINS),
    logLevel: parseLogLevel(env.LOG_LEVEL),
    statusRules: parseStatusRules(env.SESSION_LOG_STATUS_RULES),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    liveMaxConnections: parseCount('LIVE_MAX_CONNECTIONS', env.LIVE_MAX_CONNECTIONS, 1000),
    publicUrl: parsePublicUrl(env.PUBLIC_URL),
    allowPrivateWebhooks: parseFlag('ALERT_WEBHOOK_ALLOW_PRIVATE', env.ALERT_WEBHOOK_ALLOW_PRIVATE),
    retentionDays: parseRetentionDays(env.RETENTION_DAYS),
    rateLimits: {
      ingestPerAddress: parseLimit('RATE_LIMIT_INGEST_PER_IP', env.RATE_LIMIT_INGEST_PER_IP, DEFAULT_RATE_LIMITS.ingestPerAddress),
      ingestPerSession: parseLimit('RATE_LIMIT_INGEST_PER_SESSION', env.RATE_LIMIT_INGEST_PER_SESSION, DEFAULT_RATE_LIMITS.ingestPerSession),
      failedSignIns: parseLimit('RATE_LIMIT_SIGNIN', env.RATE_LIMIT_SIGNIN, DEFAULT_RATE_LIMITS.failedSignIns),
    },
    metricsToken: parseSecret('METRICS_TOKEN', env.METRICS_TOKEN) ?? null,
  };
}

function nonEmpty(variable: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === '') throw new ConfigError(variable, 'is set but empty; unset it to use the default');
  return value.trim();
}

function parsePort(raw: string | undefined): number {
  const value = nonEmpty('PORT', raw);
  if (value === undefined) return 3000;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    throw new ConfigError('PORT', `expected an integer from 0 to 65535, got "${value}"`);
  }
  return port;
}

function parseCount(variable: string, raw: string | undefined, fallback: number): number {
  const value = nonEmpty(variable, raw);
  if (value === undefined) return fallback;
  if (!/^[1-9]\d{0,6}$/.test(value)) throw new ConfigError(variable, `expected a whole number from 1 to 9999999, got "${value}"`);
  return Number(value);
}

/** Requests per minute; 0 turns the limit off. */
function parseLimit(variable: string, raw: string | undefined, fallback: number): number {
  const value = nonEmpty(variable, raw);
  if (value === undefined) return fallback;
  if (!/^\d{1,9}$/.test(value)) throw new ConfigError(variable, `expected a whole number of requests per minute (0: no limit), got "${value}"`);
  return Number(value);
}

/** 90 by default, as the spec suggests; 0 keeps everything; at most a century. */
function parseRetentionDays(raw: string | undefined): number {
  const value = nonEmpty('RETENTION_DAYS', raw);
  if (value === undefined) return 90;
  if (!/^\d{1,5}$/.test(value) || Number(value) > 36_500) {
    throw new ConfigError('RETENTION_DAYS', `expected a whole number of days from 0 (keep forever) to 36500, got "${value}"`);
  }
  return Number(value);
}

function parseFlag(variable: string, raw: string | undefined): boolean {
  const value = nonEmpty(variable, raw);
  if (value === undefined || value === '0' || value === 'false') return false;
  if (value === '1' || value === 'true') return true;
  throw new ConfigError(variable, `expected 1, true, 0 or false, got "${value}"`);
}

/** `https://logs.example.edu` (a path is kept, a trailing slash is not). */
function parsePublicUrl(raw: string | undefined): string | null {
  const value = nonEmpty('PUBLIC_URL', raw);
  if (value === undefined) return null;
  const url = URL.canParse(value) ? new URL(value) : null;
  if (url === null || !/^https?:$/.test(url.protocol) || url.search !== '' || url.hash !== '') {
    throw new ConfigError('PUBLIC_URL', `expected the dashboard's address like https://logs.example.edu, got "${value}"`);
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

function parseDatabaseUrl(raw: string | undefined): string {
  const value = nonEmpty('DATABASE_URL', raw);
  if (value === undefined) return `sqlite:${path.join(DEFAULT_DATA_DIR, 'session-log.db')}`;
  if (/^sqlite:.+/.test(value)) return value;
  if (/^postgres(ql)?:\/\/.+/.test(value)) {
    if (!URL.canParse(value)) throw new ConfigError('DATABASE_URL', 'is not a valid postgres:// URL');
    return value;
  }
  throw new ConfigError('DATABASE_URL', 'expected sqlite:<path>, sqlite::memory: or postgres://user@host:port/database');
}

/** The SQLite file's folder, so that its token sits beside it; `./data` otherwise. */
function dataDirFor(databaseUrl: string): string {
  const sqlitePath = /^sqlite:(.+)$/.exec(databaseUrl)?.[1];
  if (sqlitePath === undefined || sqlitePath === ':memory:') return DEFAULT_DATA_DIR;
  return path.dirname(sqlitePath);
}

function parseSecret(variable: string, raw: string | undefined): string | undefined {
  const value = nonEmpty(variable, raw);
  if (value !== undefined && value.length < MIN_TOKEN_LENGTH) throw new ConfigError(variable, `must be at least ${MIN_TOKEN_LENGTH} characters`);
  return value;
}

function parseCorsOrigins(raw: string | undefined): '*' | string[] {
  const value = nonEmpty('CORS_ORIGINS', raw);
  if (value === undefined || value === '*') return '*';
  return value.split(',').map((entry) => {
    const origin = entry.trim();
    const parsed = URL.canParse(origin) ? new URL(origin) : undefined;
    if (parsed === undefined || !/^https?:$/.test(parsed.protocol) || parsed.origin !== origin) {
      throw new ConfigError('CORS_ORIGINS', `"${origin}" is not an origin like https://workshop.example.com`);
    }
    return origin;
  });
}

/**
 * The proxies' addresses and CIDR ranges, comma-separated. Never "any proxy": then any
 * client could claim HTTPS or another address with a forwarded header.
 */
function parseTrustProxy(raw: string | undefined): false | string {
  const value = nonEmpty('TRUST_PROXY', raw);
  if (value === undefined || value === 'false') return false;
  const entries = value.split(',').map((entry) => entry.trim());
  const bad = entries.find((entry) => {
    const [address = '', bits, ...rest] = entry.split('/');
    const version = isIP(address);
    const maxBits = version === 4 ? 32 : 128;
    return version === 0 || rest.length > 0 || (bits !== undefined && !(/^\d{1,3}$/.test(bits) && Number(bits) <= maxBits));
  });
  if (bad !== undefined) throw new ConfigError('TRUST_PROXY', `"${bad}" is not an address like 10.0.0.1 or 10.0.0.0/8`);
  return entries.join(',');
}

function parseLogLevel(raw: string | undefined): string {
  const value = nonEmpty('LOG_LEVEL', raw);
  if (value === undefined) return 'info';
  if (!LOG_LEVELS.includes(value)) throw new ConfigError('LOG_LEVEL', `expected one of ${LOG_LEVELS.join(', ')}`);
  return value;
}

const PartialRules = Type.Partial(StatusRules, { additionalProperties: false });

/** `stuckMinMinutes=2,idleMinutes=3`: overrides of the overview's status rules, checked against their schema. */
function parseStatusRules(raw: string | undefined): Partial<StatusRules> {
  const value = nonEmpty('SESSION_LOG_STATUS_RULES', raw);
  if (value === undefined) return {};
  const pairs = value.split(',').map((pair) => pair.split('=').map((part) => part.trim()));
  // A decimal number each (Number() would also take 0x10, and a second "=" would go unseen).
  const decimal = (parts: string[]) => (parts.length === 2 && /^\d+(\.\d+)?$/.test(parts[1] ?? '') ? Number(parts[1]) : Number.NaN);
  const rules = Object.fromEntries(pairs.map((parts) => [parts[0] ?? '', decimal(parts)]));
  const unknown = Object.keys(rules).find((key) => !(key in StatusRules.properties));
  if (unknown !== undefined) throw new ConfigError('SESSION_LOG_STATUS_RULES', `unknown rule "${unknown}" (known: ${Object.keys(StatusRules.properties).join(', ')})`);
  if (!Value.Check(PartialRules, rules)) {
    const [first] = Value.Errors(PartialRules, rules);
    const where = first?.instancePath.slice(1) || 'a rule';
    throw new ConfigError('SESSION_LOG_STATUS_RULES', `${where} ${first?.message ?? 'is invalid'} (expected e.g. stuckMinMinutes=2,idleMinutes=3)`);
  }
  return rules;
}
