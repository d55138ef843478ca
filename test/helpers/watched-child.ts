import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/** A child process's output as it arrives, and its exit. */
export interface WatchedChild {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: () => Promise<number | null>;
  /** Resolves once `done(stdout)` holds; rejects if the process exits first. */
  until: (done: (stdout: string) => boolean) => Promise<void>;
}

/** Collects `child`'s stdout and stderr (both piped) from now on. */
export function watchChild(child: ChildProcess): WatchedChild {
  let out = '';
  let err = '';
  const waiting = new Set<() => void>();
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    for (const check of waiting) check();
  });
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
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
        void exit.then((code) => waiting.has(check) && reject(new Error(`the process exited (${code}): ${err}\n${out}`)));
      }),
  };
}
