import { existsSync } from 'node:fs';
import pg from 'pg';

const PREFIX = 'session_log_bench_';

/** Creates the bench's PostgreSQL databases beside the admin URL's, and drops them all at the end. */
export class PostgresDatabases {
  private readonly created = new Set<string>();
  private counter = 0;

  constructor(private readonly adminUrl: string) {}

  /** Fails fast with a clear message when PostgreSQL is not there. */
  async check(): Promise<void> {
    try {
      await this.admin(async (client) => {
        await client.query('SELECT 1');
      });
    } catch (error) {
      throw new Error(`PostgreSQL unreachable at ${this.adminUrl} (set BENCH_DATABASE_URL): ${String(error)}`, {
        cause: error,
      });
    }
  }

  /** A new, empty database; returns its URL. */
  async create(label: string): Promise<string> {
    this.counter += 1;
    const name = `${PREFIX}${process.pid}_${this.counter}_${label}`;
    await this.admin((client) => client.query(`CREATE DATABASE ${name}`));
    this.created.add(name);
    const url = new URL(this.adminUrl);
    url.pathname = `/${name}`;
    return url.toString();
  }

  async dropAll(): Promise<void> {
    if (this.created.size === 0) return;
    await this.admin(async (client) => {
      for (const name of this.created) {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        this.created.delete(name);
      }
    });
  }

  /** Drops databases left by earlier bench runs that were killed (their process is gone). */
  async dropLeftovers(): Promise<string[]> {
    return this.admin(async (client) => {
      const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [
        `${PREFIX}%`,
      ]);
      const orphans = rows
        .map((row) => row.datname)
        .filter((name) => !existsSync(`/proc/${name.slice(PREFIX.length).split('_')[0] ?? ''}`));
      for (const name of orphans) await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      return orphans;
    });
  }

  private async admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: this.adminUrl, connectionTimeoutMillis: 5000 });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }
}
