import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { connectionOf } from '../connection.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { apiClient } from '../http-client.js';
import { writeOut } from '../output/stdout.js';

/** `token rotate`: a new instructor token, straight into a file; it is never printed. */
export function registerToken(program: Command): void {
  const token = program.command('token').description('The instructor token.');
  token
    .command('rotate')
    .description('Replace the instructor token: the old one stops working at once (and every dashboard sign-in ends).')
    .requiredOption('--save <file>', 'write the new token to this file (readable by you only); it is never printed')
    .addHelpText('after', '\nExample:\n  session-log token rotate --save ~/.session-log-token && export SESSION_LOG_TOKEN_FILE=~/.session-log-token')
    .action(async (options: { save: string }, self: Command) => {
      const client = apiClient(connectionOf(self));
      // The file is made before the token changes: a file that cannot be written must not
      // cost the only copy of the new token.
      const temp = path.join(path.dirname(options.save), `.${path.basename(options.save)}.${process.pid}.part`);
      const handle = await open(temp, 'wx', 0o600).catch((error: NodeJS.ErrnoException) => {
        throw new CliError(`--save: cannot write ${options.save}: ${error.code ?? error.message}; the token was not rotated`, ExitCode.usage);
      });
      let rotated: string;
      try {
        rotated = (await client.json<{ token: string }>('POST', '/api/auth/token')).token;
      } catch (error) {
        await discard(handle, temp);
        throw error;
      }
      await save(handle, temp, options.save, rotated);
      await writeOut(`new instructor token saved to ${options.save}; the old one no longer works\n`);
    });
}

async function save(handle: FileHandle, temp: string, file: string, token: string): Promise<void> {
  try {
    await handle.writeFile(`${token}\n`);
    await handle.sync();
    await handle.close();
    await rename(temp, file);
  } catch (error) {
    await discard(handle, temp);
    throw new CliError(
      `the token was rotated but could not be saved to ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)}): the old one no longer works; ` +
        "to get in again, give the service a new SESSION_LOG_ADMIN_TOKEN (or token file) and restart it",
      ExitCode.failed,
    );
  }
}

async function discard(handle: FileHandle, temp: string): Promise<void> {
  await handle.close().catch(() => undefined);
  await rm(temp, { force: true });
}
