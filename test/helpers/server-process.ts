import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';

const SERVER = path.resolve(import.meta.dirname, '../../src/server.ts');

/** `src/server.ts` as a real process, as `npm start` runs it (through tsx, without a build). */
export interface ServerProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the base URL once the server logs that it listens. */
  listening(): Promise<string>;
  exited(): Promise<number | null>;
}

export function startServer(env: Record<string, string>): ServerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exit = once(child, 'exit').then(([code]) => code as number | null);
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited: () => exit,
    async listening() {
      for (;;) {
        const url = /Server listening at (http:\/\/[\d.:]+)/.exec(out)?.[1];
        if (url !== undefined) return url;
        if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}: ${err}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
  };
}

export async function waitForHealth(url: string, status: number): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const response = await fetch(`${url}/healthz`).catch(() => null);
    if (response?.status === status) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`healthz never answered ${status}`);
}
