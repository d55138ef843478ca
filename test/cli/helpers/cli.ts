import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';

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

export interface RunningCli {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited(): Promise<number | null>;
  /** Resolves once `done(stdout)` holds; rejects if the CLI exits first. */
  until(done: (stdout: string) => boolean): Promise<void>;
}

/** A long-running `session-log <args>` (serve, tail). */
export function startCli(args: string[], env: Record<string, string> = {}, input?: string): RunningCli {
  const [node, ...rest] = CLI_ARGV;
  const child = spawn(node ?? process.execPath, [...rest, ...args], { env: cliEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin.end(input ?? '');
  let out = '';
  let err = '';
  const waiting = new Set<() => void>();
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    for (const check of waiting) check();
  });
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exit = once(child, 'exit').then(([code]) => code as number | null);
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited: () => exit,
    until: (done) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (!done(out)) return;
          waiting.delete(check);
          resolve();
        };
        waiting.add(check);
        check();
        void exit.then((code) => waiting.has(check) && reject(new Error(`the CLI exited (${code}): ${err}\n${out}`)));
      }),
  };
}
