import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, waitForHealth, type ServerProcess } from '../../helpers/server-process.js';

export const TOKEN = 'cli-test-instructor-token-0123456789';

export interface Service {
  url: string;
  dir: string;
  server: ServerProcess;
  /** The CLI's environment to reach this service. */
  env: Record<string, string>;
  post(events: Array<Record<string, unknown>>): Promise<void>;
  /** Stops it (SIGTERM) and removes its directory, unless kept for a restart. */
  stop(options?: { keepDir: boolean }): Promise<void>;
}

/** A real service on a fresh SQLite file in a temporary directory, for the CLI to talk to. */
export async function startService(env: Record<string, string> = {}, dir = fs.mkdtempSync(path.join(os.tmpdir(), 'session-log-cli-'))): Promise<Service> {
  const server = startServer({ DATABASE_URL: `sqlite:${path.join(dir, 'x.db')}`, SESSION_LOG_ADMIN_TOKEN: TOKEN, ...env });
  const url = await server.listening();
  await waitForHealth(url, 200);
  return {
    url,
    dir,
    server,
    env: { SESSION_LOG_URL: url, SESSION_LOG_TOKEN: TOKEN },
    async post(events) {
      const response = await fetch(`${url}/api/session-log`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ events }) });
      if (!response.ok) throw new Error(`POST failed: ${response.status} ${await response.text()}`);
    },
    async stop({ keepDir } = { keepDir: false }) {
      server.child.kill('SIGTERM');
      await server.exited();
      if (!keepDir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
