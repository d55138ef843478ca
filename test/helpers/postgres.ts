import pg from 'pg';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** Set by .ci/run: a missing PostgreSQL fails the run instead of skipping its half. */
const REQUIRED = process.env.SESSION_LOG_REQUIRE_POSTGRES === '1';

let reachable: Promise<boolean> | undefined;

/** Whether PostgreSQL tests can run; says why not once, or throws when CI requires them. */
export function postgresAvailable(): Promise<boolean> {
  reachable ??= (async () => {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.end();
      return true;
    } catch (error) {
      if (REQUIRED) throw new Error(`PostgreSQL required but unreachable at ${TEST_DATABASE_URL}`, { cause: error });
      console.warn(`# skipping PostgreSQL tests: no server at ${TEST_DATABASE_URL} (${String(error)})`);
      return false;
    }
  })();
  return reachable;
}

function urlFor(database: string): string {
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

let counter = 0;

/** A new, empty database; drop it with dropDatabase. */
export async function createDatabase(template?: string): Promise<{ name: string; url: string }> {
  counter += 1;
  const name = `sl_test_${process.pid}_${Date.now().toString(36)}_${counter}`;
  await admin((client) => client.query(`CREATE DATABASE ${name}${template === undefined ? '' : ` TEMPLATE ${template}`}`));
  return { name, url: urlFor(name) };
}

export async function dropDatabase(name: string): Promise<void> {
  await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}
