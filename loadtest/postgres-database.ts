import { existsSync } from 'node:fs';
import pg from 'pg';

const PREFIX = 'session_log_loadtest_';

/** A PostgreSQL database made for one run; drop() removes it. */
export interface RunDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

let made = 0;

/**
 * Creates an empty database beside `adminUrl`'s, named after this process, first dropping
 * those of earlier runs whose process is gone (a run killed before it could drop its own).
 */
export async function createRunDatabase(adminUrl: string): Promise<RunDatabase> {
  made += 1;
  const name = `${PREFIX}${process.pid}_${made}`;
  await asAdmin(adminUrl, async (client) => {
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${PREFIX}%`]);
    for (const { datname } of rows) {
      const pid = datname.slice(PREFIX.length).split('_')[0] ?? '';
      if (!existsSync(`/proc/${pid}`)) await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    }
    await client.query(`CREATE DATABASE ${name}`);
  });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => asAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

async function asAdmin<T>(adminUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`PostgreSQL unreachable at ${adminUrl} (set LOADTEST_DATABASE_URL): ${String(error)}`, { cause: error });
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
