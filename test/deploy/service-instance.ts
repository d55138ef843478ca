// The built service (dist/server.js) in a process of its own, as systemd runs it in
// production (deploy/systemd/session-log@.service).
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describeExit, spawnChildServer, waitUntilReady } from '../../scripts/lib/child-server.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SERVER = path.join(ROOT, 'dist', 'server.js');
const LISTENING = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/;
const START_TIMEOUT_MS = 60_000;

/** One instance of the service, listening on a loopback port it chose. */
export interface ServiceInstance {
  readonly url: string;
  /** '127.0.0.1:<port>', as an nginx upstream names it. */
  readonly address: string;
  /** SIGKILL: gone at once, as a crashed instance is. */
  kill(): Promise<void>;
  /** SIGTERM: it drains, as systemd stops it. */
  stop(): Promise<void>;
}

/** Starts dist/server.js with `env` on a free loopback port and waits until /healthz answers 200. */
export async function startInstance(env: Record<string, string>): Promise<ServiceInstance> {
  assertBuilt();
  let announce: (url: string) => void = () => {};
  const announced = new Promise<string>((resolve) => (announce = resolve));
  const server = spawnChildServer({
    args: [SERVER],
    cwd: ROOT,
    // At info it says where it listens (and logs no request).
    env: { PATH: process.env.PATH ?? '', ...env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info' },
    onLine: (line) => {
      const url = LISTENING.exec(line)?.[1];
      if (url !== undefined) announce(url);
    },
  });
  const failed = (why: string) => new Error(`the service did not start (${why}):\n${server.recentOutput()}`);
  try {
    const url = await Promise.race([
      announced,
      server.exited.then((exit) => Promise.reject(failed(describeExit(exit)))),
      sleep(START_TIMEOUT_MS, undefined, { ref: false }).then(() => Promise.reject(failed('it never said where it listens'))),
    ]);
    const outcome = await waitUntilReady(`${url}/healthz`, server, START_TIMEOUT_MS);
    if (outcome !== 'ready') throw failed(outcome === 'timeout' ? 'no 200 from /healthz' : describeExit(outcome));
    return {
      url,
      address: url.replace('http://', ''),
      kill: async () => {
        server.kill();
        await server.exited;
      },
      stop: () => server.stop(),
    };
  } catch (error) {
    server.kill();
    throw error;
  }
}

/** This runs the build: one older than the sources would test another service than the one in src/. */
function assertBuilt(): void {
  if (!existsSync(SERVER)) throw new Error('dist/server.js is missing: run npm run build');
  const built = statSync(SERVER).mtimeMs;
  const newer = readdirSync(path.join(ROOT, 'src'), { recursive: true, withFileTypes: true }).find(
    (entry) => entry.isFile() && statSync(path.join(entry.parentPath, entry.name)).mtimeMs > built,
  );
  if (newer !== undefined) throw new Error(`dist/ is older than ${path.relative(ROOT, path.join(newer.parentPath, newer.name))}: run npm run build`);
}
