import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';

/**
 * How many rows of each table mention one of `tokens` or `emails`, read straight from the
 * database (behind the service's back): what an erasure must leave at zero.
 */
export async function rowsAbout(databaseUrl: string, tokens: string[], emails: string[]): Promise<Record<TableName, number>> {
  // PostgreSQL refuses an empty IN (): NULL matches nothing.
  const list = (values: string[]) => (values.length === 0 ? 'NULL' : values.map((v) => `'${v}'`).join(','));
  const tokenList = list(tokens);
  const emailList = list(emails);
  const like = (column: string) => [...tokens, ...emails].map((v) => `${column} LIKE '%${v}%'`).join(' OR ');
  const queries: Record<TableName, string> = {
    events: `SELECT count(*) AS n FROM events WHERE session_token IN (${tokenList}) OR student_id IN (SELECT student_id FROM students WHERE email IN (${emailList}))`,
    event_problems: `SELECT count(*) AS n FROM event_problems WHERE session_token IN (${tokenList})`,
    step_stays: `SELECT count(*) AS n FROM step_stays WHERE session_token IN (${tokenList})`,
    session_activity: `SELECT count(*) AS n FROM session_activity WHERE session_token IN (${tokenList})`,
    sessions: `SELECT count(*) AS n FROM sessions WHERE session_token IN (${tokenList})`,
    students: `SELECT count(*) AS n FROM students WHERE email IN (${emailList})`,
    alerts: `SELECT count(*) AS n FROM alerts WHERE ${like('CAST(students AS TEXT)')}`,
    alert_claims: `SELECT count(*) AS n FROM alert_claims WHERE subject IN (${tokenList})`,
    webhook_deliveries: `SELECT count(*) AS n FROM webhook_deliveries WHERE ${like('body')}`,
  };
  return runCounts(databaseUrl, queries);
}

type TableName = 'events' | 'event_problems' | 'step_stays' | 'session_activity' | 'sessions' | 'students' | 'alerts' | 'alert_claims' | 'webhook_deliveries';

/** The rows of an audit table, as plain objects. */
export async function allRows(databaseUrl: string, table: string): Promise<Array<Record<string, unknown>>> {
  const query = `SELECT * FROM ${table}`;
  if (databaseUrl.startsWith('sqlite:')) {
    const db = new BetterSqlite3(databaseUrl.slice('sqlite:'.length), { readonly: true });
    try {
      return db.prepare(query).all() as Array<Record<string, unknown>>;
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(query)).rows as Array<Record<string, unknown>>;
  } finally {
    await client.end();
  }
}

async function runCounts<K extends string>(databaseUrl: string, queries: Record<K, string>): Promise<Record<K, number>> {
  const counts = {} as Record<K, number>;
  if (databaseUrl.startsWith('sqlite:')) {
    const db = new BetterSqlite3(databaseUrl.slice('sqlite:'.length), { readonly: true });
    try {
      for (const [table, query] of Object.entries(queries) as Array<[K, string]>) counts[table] = Number((db.prepare(query).get() as { n: number }).n);
    } finally {
      db.close();
    }
    return counts;
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (const [table, query] of Object.entries(queries) as Array<[K, string]>) counts[table] = Number(((await client.query(query)).rows[0] as { n: string }).n);
  } finally {
    await client.end();
  }
  return counts;
}
