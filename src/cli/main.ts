#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { registerBackup } from './commands/backup.js';
import { registerErase } from './commands/erase.js';
import { registerExport } from './commands/export.js';
import { registerFunnel } from './commands/funnel.js';
import { registerMigrate } from './commands/migrate.js';
import { registerPatterns } from './commands/patterns.js';
import { registerPrune } from './commands/prune.js';
import { registerQuery } from './commands/query.js';
import { registerServe } from './commands/serve.js';
import { registerTail } from './commands/tail.js';
import { registerToken } from './commands/token.js';
import { addConnectionOptions } from './connection.js';
import { CliError, ExitCode } from './exit-codes.js';
import { terminalSafe } from './output/terminal-text.js';

const EXIT_CODES = `
Exit codes:
  0  done
  1  failed (an error of the service, a cut download, a file not written)
  2  bad usage (an unknown option, a bad value, a request the service refused as invalid)
  3  not found (an unknown student or session)
  4  unauthorized (no token, or a wrong one)
  5  unavailable (the service or its database cannot be reached or is busy: retry later)`;

/** This package's version, from package.json (two levels up from src/cli and dist/cli alike). */
const version = (): string => (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

function buildProgram(): Command {
  const program = new Command('session-log')
    .description('Run, query and look after a session-log service.')
    .version(version())
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    // Commander's own errors (unknown option, missing argument) exit 2, after their one line.
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(`session-log: ${text.replace(/^error: /, '')}`) })
    .addHelpText('after', EXIT_CODES);
  addConnectionOptions(program);
  for (const register of [registerServe, registerMigrate, registerBackup, registerQuery, registerTail, registerExport, registerPatterns, registerFunnel, registerPrune, registerErase, registerToken]) {
    register(program);
  }
  return program;
}

/** The exit status for what went wrong, after saying it in one line. */
function report(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  if (error instanceof CliError) {
    process.stderr.write(`session-log: ${terminalSafe(error.message)}\n`);
    return error.exitCode;
  }
  process.stderr.write(`session-log: unexpected error: ${terminalSafe(error instanceof Error ? error.message : String(error))}\n`);
  return ExitCode.failed;
}

// A reader that stops early (`session-log query | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(ExitCode.ok);
  process.stderr.write(`session-log: cannot write the output: ${error.message}\n`);
  process.exit(ExitCode.failed);
});

try {
  await buildProgram().parseAsync();
} catch (error) {
  process.exitCode = report(error);
}
