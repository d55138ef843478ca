import { spawn } from 'node:child_process';
import path from 'node:path';
import { watchChild, type WatchedChild } from '../../helpers/watched-child.js';

/** The CLI's entry point, run through tsx as the tests run everything (no build). */
export const CLI_MAIN = path.resolve(import.meta.dirname, '../../../src/cli/main.ts');
export const CLI_ARGV = [process.execPath, '--import', 'tsx', CLI_MAIN];

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment of a CLI run: the PATH, and nothing of the caller's SESSION_LOG_* variables. */
export const cliEnv = (env: Record<string, string>): Record<string, string> => ({ PATH: process.env.PATH ?? '', ...env });

/** `session-log <args>`, its output piped (not a terminal), stdin closed unless `input` is given. */
export async function runCli(args: string[], env: Record<string, string> = {}, input?: string): Promise<CliResult> {
  const child = startCli(args, env, input);
  const code = await child.exited();
  return { code, stdout: child.stdout(), stderr: child.stderr() };
}

/** A long-running `session-log <args>` (serve, tail). */
export function startCli(args: string[], env: Record<string, string> = {}, input?: string): WatchedChild {
  const [node, ...rest] = CLI_ARGV;
  const child = spawn(node ?? process.execPath, [...rest, ...args], { env: cliEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin.end(input ?? '');
  return watchChild(child);
}
