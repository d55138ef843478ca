import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { CliError, ExitCode } from './exit-codes.js';

/** Where the service is and how to sign in to it, from the global options. */
export interface Connection {
  /** The service's address, without a trailing slash (it may have a path, behind a proxy). */
  baseUrl: string;
  /** The instructor token; undefined when none was given (the service then answers 401). */
  token: string | undefined;
}

export const DEFAULT_URL = 'http://127.0.0.1:3000';

interface ConnectionOptions {
  url: string;
  token?: string;
  tokenFile?: string;
}

/** --url, --token and --token-file, each with its environment variable. */
export function addConnectionOptions(program: Command): void {
  program
    .addOption(new Option('--url <url>', "the service's address").env('SESSION_LOG_URL').default(DEFAULT_URL))
    .addOption(
      new Option('--token <token>', 'the instructor token (better in the variable or a file: others can see a command line)').env(
        'SESSION_LOG_TOKEN',
      ),
    )
    .addOption(new Option('--token-file <file>', 'read the instructor token from this file').env('SESSION_LOG_TOKEN_FILE'));
}

/** The connection a command runs with, from its own and its parents' options. */
export function connectionOf(command: Command): Connection {
  const options = command.optsWithGlobals<ConnectionOptions>();
  return { baseUrl: parseBaseUrl(options.url), token: tokenOf(command, options) };
}

function parseBaseUrl(raw: string): string {
  const url = URL.canParse(raw) ? new URL(raw) : null;
  if (url === null || !/^https?:$/.test(url.protocol)) {
    throw new CliError(`--url: expected the service's address like ${DEFAULT_URL}, got "${raw}"`, ExitCode.usage);
  }
  // Credentials in the address would end up in error messages; the token has its own option.
  if (url.username !== '' || url.password !== '') throw new CliError('--url: put no credentials in the address; use SESSION_LOG_TOKEN', ExitCode.usage);
  if (url.search !== '' || url.hash !== '') throw new CliError(`--url: expected an address without ?query or #fragment, got "${raw}"`, ExitCode.usage);
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/** A token typed on the command line beats one from the environment; --token beats --token-file. */
function tokenOf(command: Command, options: ConnectionOptions): string | undefined {
  const fileFirst = options.tokenFile !== undefined && command.getOptionValueSourceWithGlobals('tokenFile') === 'cli' && command.getOptionValueSourceWithGlobals('token') !== 'cli';
  if (options.token !== undefined && !fileFirst) return options.token.trim();
  if (options.tokenFile === undefined) return undefined;
  try {
    const token = readFileSync(options.tokenFile, 'utf8').trim();
    if (token === '') throw new CliError(`--token-file: ${options.tokenFile} is empty`, ExitCode.usage);
    return token;
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`--token-file: cannot read ${options.tokenFile}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, ExitCode.usage);
  }
}
