import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';

/** Deletes a student and (by cascade) their events, behind the service's back. */
export async function deleteStudent(databaseUrl: string, email: string): Promise<void> {
  const sql = 'DELETE FROM students WHERE email = $email';
  if (databaseUrl.startsWith('sqlite:')) {
    const db = new BetterSqlite3(databaseUrl.slice('sqlite:'.length));
    db.pragma('foreign_keys = ON');
    db.prepare(sql).run({ email });
    db.close();
    return;
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(sql.replace('$email', '$1'), [email]);
  await client.end();
}
