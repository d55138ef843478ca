import type { Command } from 'commander';
import { positiveInteger } from '../filter-options.js';

interface ServeOptions {
  port?: number;
  host?: string;
  databaseUrl?: string;
}

/** `serve`: the service itself, configured by its environment; the options set the usual three. */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Start the service here (every setting of the README\'s Configuration table is read from the environment).')
    .option('--port <port>', 'TCP port to listen on (PORT; default 3000)', (value) => (value === '0' ? 0 : positiveInteger(65535)(value)))
    .option('--host <address>', 'address to listen on (HOST; default 127.0.0.1)')
    .option('--database-url <url>', 'sqlite:<path>, sqlite::memory: or postgres://… (DATABASE_URL; default sqlite:data/session-log.db)')
    .addHelpText('after', '\nExample:\n  session-log serve --port 8080 --database-url postgres://logs@db:5432/logs')
    .action(async (options: ServeOptions) => {
      if (options.port !== undefined) process.env.PORT = String(options.port);
      if (options.host !== undefined) process.env.HOST = options.host;
      if (options.databaseUrl !== undefined) process.env.DATABASE_URL = options.databaseUrl;
      // The service's own entry point: it reads the environment, listens, and owns the
      // process from here (signals, draining, its exit status).
      await import('../../server.js');
    });
}
