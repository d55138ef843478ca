import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { postgresMigrations } from '../../src/storage/postgres/migrations.js';
import { sqliteMigrations } from '../../src/storage/sqlite/migrations.js';

/**
 * A connection to the database at `url`, migrated only up to `target` (as a database that
 * an older version of the service left): to fill it as that version would have, before a
 * store migrates it on. The caller destroys it.
 */
export async function openAtMigration(url: string, target: string): Promise<Kysely<unknown>> {
  const postgres = url.startsWith('postgres');
  const db = new Kysely<unknown>({
    dialect: postgres
      ? new PostgresDialect({ pool: new pg.Pool({ connectionString: url }) })
      : new SqliteDialect({ database: new BetterSqlite3(url.slice('sqlite:'.length)) }),
  });
  const migrator = new Migrator({ db, provider: { getMigrations: () => Promise.resolve(postgres ? postgresMigrations : sqliteMigrations) } });
  const { error } = await migrator.migrateTo(target);
  if (error !== undefined) {
    await db.destroy();
    throw new Error(`migrating to ${target} failed`, { cause: error });
  }
  return db;
}
