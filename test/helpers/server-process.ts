import { spawn } from 'node:child_process';
import path from 'node:path';
import { watchChild, type WatchedChild } from './watched-child.js';

const SERVER = path.resolve(import.meta.dirname, '../../src/server.ts');
const LISTENING = /Server listening at (http:\/\/[\d.:]+)/;

/** `src/server.ts` as a real process, as `npm start` runs it (through tsx, without a build). */
export interface ServerProcess extends Omit<WatchedChild, 'until'> {
  /** Resolves with the base URL once the server logs that it listens. */
  listening(): Promise<string>;
}

export function startServer(env: Record<string, string>): ServerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const { until, ...watched } = watchChild(child);
  return {
    ...watched,
    async listening() {
      await until((out) => LISTENING.test(out));
      return LISTENING.exec(watched.stdout())?.[1] ?? '';
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
