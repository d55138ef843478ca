import type { Command } from 'commander';
import { CliError, ExitCode } from '../exit-codes.js';
import { checkedDatabaseUrl, DATABASE_URL_HELP, shown } from '../local-database.js';

/** `migrate`: brings a database's schema up to date, without starting the service. */
export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description("Bring the database's schema up to date (the service also does it when it starts).")
    .option('--database-url <url>', DATABASE_URL_HELP)
    .addHelpText('after', '\nExample:\n  DATABASE_URL=postgres://logs@db:5432/logs session-log migrate')
    .action(async (options: { databaseUrl?: string }) => {
      const databaseUrl = await checkedDatabaseUrl(options.databaseUrl ?? process.env.DATABASE_URL);
      // The one command that opens the database itself; loaded here so that the others never load a driver.
      const { createStore } = await import('../../storage/index.js');
      const { StoreUnavailableError } = await import('../../storage/types.js');
      const store = createStore(databaseUrl);
      try {
        await store.migrate();
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new CliError(`cannot migrate ${shown(databaseUrl)}: ${reason}`, error instanceof StoreUnavailableError ? ExitCode.unavailable : ExitCode.failed);
      } finally {
        await store.close();
      }
      process.stdout.write(`migrated ${shown(databaseUrl)}: the schema is up to date\n`);
    });
}
