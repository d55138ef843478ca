import { randomBytes } from 'node:crypto';

export interface DemoSettings {
  /** The first port to try. */
  port: number;
  /** A PostgreSQL database to run on; undefined: a temporary SQLite file. */
  databaseUrl: string | undefined;
  /** Service instances sharing the database (more than one needs PostgreSQL). */
  instances: number;
  seed: number;
  speed: number;
  adminToken: string;
}

export class SettingsError extends Error {}

/**
 * The demo's environment: PORT (3000, as for the service), DEMO_SEED (42), DEMO_SPEED (1),
 * DEMO_DATABASE_URL (a temporary SQLite file; or postgres://…), DEMO_INSTANCES (1; more
 * need PostgreSQL), SESSION_LOG_ADMIN_TOKEN (random).
 */
export function readSettings(env: NodeJS.ProcessEnv): DemoSettings {
  const databaseUrl = env.DEMO_DATABASE_URL || undefined;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) throw new SettingsError(`DEMO_DATABASE_URL: expected postgres://…, got "${databaseUrl}"`);
  const instances = integer(env, 'DEMO_INSTANCES', 1, 1, 4);
  if (instances > 1 && databaseUrl === undefined) throw new SettingsError('DEMO_INSTANCES: several instances share a PostgreSQL database: set DEMO_DATABASE_URL too');
  return {
    databaseUrl,
    instances,
    port: integer(env, 'PORT', 3000, 1, 65_535),
    seed: integer(env, 'DEMO_SEED', 42, 0, 2 ** 32 - 1),
    speed: positive(env, 'DEMO_SPEED', 1),
    adminToken: env.SESSION_LOG_ADMIN_TOKEN || randomBytes(16).toString('hex'),
  };
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) throw new SettingsError(`${name}: expected an integer from ${min} to ${max}, got "${text}"`);
  return value;
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!(value > 0 && value <= 1000)) throw new SettingsError(`${name}: expected a number above 0 and at most 1000, got "${text}"`);
  return value;
}
