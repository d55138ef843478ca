// The built service (dist/server.js) as a child process, the way `npm start` runs it.
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describeExit, spawnChildServer, waitUntilReady, type ChildExit, type ChildServer } from '../lib/child-server.js';

const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
const SERVER_SCRIPT = path.join(REPO_ROOT, 'dist', 'server.js');

const PORTS_TO_TRY = 20;
const DEMO_STATUS_RULES = 'stuckMinMinutes=1,idleMinutes=1,stuckFallbackMinutes=2';
const HEALTH_TIMEOUT_MS = 30_000;

export interface ServiceOptions {
  /** The first port to try; the next ones are tried while it is taken. */
  port: number;
  databaseUrl: string;
  adminToken: string;
  /** Called with the child as soon as it is spawned, so that it can be stopped even while starting. */
  onSpawn?: (service: RunningService) => void;
  /** Each line the service writes (its logs, at level warn). */
  onOutput?: (line: string) => void;
}

export interface RunningService extends ChildServer {
  readonly baseUrl: string;
  readonly port: number;
}

/** Starts the service on the first free port from `options.port` and waits until /healthz answers 200. */
export async function startService(options: ServiceOptions): Promise<RunningService> {
  if (!existsSync(SERVER_SCRIPT)) throw new Error(`${path.relative(process.cwd(), SERVER_SCRIPT)} is missing: run npm run build first`);
  for (let port = options.port; port < options.port + PORTS_TO_TRY; port++) {
    if (!(await isFree(port))) continue;
    const service = spawnService(port, options);
    options.onSpawn?.(service);
    const outcome = await waitUntilReady(`${service.baseUrl}/healthz`, service, HEALTH_TIMEOUT_MS);
    if (outcome === 'ready') return service;
    if (outcome === 'timeout') {
      await service.stop();
      throw new Error(`${service.baseUrl}/healthz did not answer 200 within ${HEALTH_TIMEOUT_MS / 1000} s:\n${service.recentOutput()}`);
    }
    // Someone took the port between our check and the child's listen: try the next one.
    if (/EADDRINUSE/.test(service.recentOutput())) continue;
    throw new Error(describeFailure(service, outcome));
  }
  throw new Error(`ports ${options.port}–${options.port + PORTS_TO_TRY - 1} are all taken (set PORT)`);
}

function spawnService(port: number, options: ServiceOptions): RunningService {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: options.databaseUrl,
    PORT: String(port),
    HOST: '127.0.0.1',
    SESSION_LOG_ADMIN_TOKEN: options.adminToken,
    LOG_LEVEL: 'warn',
    // The demo class moves through a step in well under a minute, not the 5 minutes or more of
    // a real workshop: scale the overview's rules to its pace (unless set by the caller).
    SESSION_LOG_STATUS_RULES: process.env.SESSION_LOG_STATUS_RULES ?? DEMO_STATUS_RULES,
  };
  const server = spawnChildServer({ args: [SERVER_SCRIPT], cwd: REPO_ROOT, env, onLine: options.onOutput });
  return Object.assign(server, { baseUrl: `http://127.0.0.1:${port}`, port });
}

/** Whether nothing listens on the port on loopback. */
function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host: '127.0.0.1' }, () => probe.close(() => resolve(true)));
  });
}

export function describeFailure(service: RunningService, exit: ChildExit): string {
  const output = service.recentOutput();
  return `the service (pid ${String(service.pid)}) stopped with ${describeExit(exit)}${output === '' ? '' : `; its last output:\n${output}`}`;
}
