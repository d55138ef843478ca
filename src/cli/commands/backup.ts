import fs from 'node:fs';
import type { Command } from 'commander';
import { CliError, ExitCode } from '../exit-codes.js';
import { checkedDatabaseUrl, DATABASE_URL_HELP } from '../local-database.js';

/**
 * `backup`: a consistent copy of an SQLite database, taken while the service keeps
 * writing (SQLite's online backup, through better-sqlite3). PostgreSQL has pg_dump.
 */
export function registerBackup(program: Command): void {
  program
    .command('backup')
    .description('Copy the SQLite database to a new file while the service runs (for PostgreSQL, use pg_dump).')
    .argument('<file>', 'the copy to write (must not exist yet)')
    .option('--database-url <url>', DATABASE_URL_HELP)
    .addHelpText('after', '\nExample:\n  session-log backup backups/session-log-$(date +%F).db\nRestore: stop the service, put the copy in place of the database file, start it.')
    .action(async (file: string, options: { databaseUrl?: string }) => {
      const databaseUrl = await checkedDatabaseUrl(options.databaseUrl ?? process.env.DATABASE_URL);
      const source = /^sqlite:(.+)$/.exec(databaseUrl)?.[1];
      if (source === undefined || source === ':memory:') {
        throw new CliError('backup copies an SQLite file; back PostgreSQL up with pg_dump (README: Backups)', ExitCode.usage);
      }
      if (fs.existsSync(file)) throw new CliError(`${file} already exists: name a new file`, ExitCode.usage);
      const pages = await copy(source, file);
      process.stdout.write(`backed up ${source} to ${file} (${pages} pages)\n`);
    });
}

/** Copies under a temporary name, renamed once whole; readable by its owner only (it holds students' data). */
async function copy(source: string, file: string): Promise<number> {
  const { default: BetterSqlite3 } = await import('better-sqlite3');
  const partial = `${file}.part`;
  let database: InstanceType<typeof BetterSqlite3>;
  try {
    database = new BetterSqlite3(source, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new CliError(`cannot open ${source}: ${error instanceof Error ? error.message : String(error)}`, ExitCode.failed);
  }
  try {
    const { totalPages } = await database.backup(partial);
    fs.chmodSync(partial, 0o600);
    fs.renameSync(partial, file);
    return totalPages;
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw new CliError(`backup failed: ${error instanceof Error ? error.message : String(error)}`, ExitCode.failed);
  } finally {
    database.close();
  }
}
