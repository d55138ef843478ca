// The built service (dist/server.js) as a child process, the way `npm start` runs it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { pause } from './pause.js';

const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
export const SERVER_SCRIPT = path.join(REPO_ROOT, 'dist', 'server.js');

const PORTS_TO_TRY = 20;
export const DEMO_STATUS_RULES = 'stuckMinMinutes=1,idleMinutes=1,stuckFallbackMinutes=2';
const HEALTH_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;
const OUTPUT_LINES_KEPT = 20;

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

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface RunningService {
  readonly baseUrl: string;
  readonly port: number;
  readonly pid: number | undefined;
  /** Resolves when the process exits, however it ends. */
  readonly exited: Promise<ChildExit>;
  /** The last lines it wrote (its logs are at level warn), to say why it stopped. */
  recentOutput(): string;
  /** SIGTERM, then SIGKILL if it has not exited within 10 s. */
  stop(): Promise<void>;
  /** SIGKILL at once (a second Ctrl-C). */
  kill(): void;
}

export class ServiceStartError extends Error {}

/** Starts the service on the first free port from `options.port` and waits until /healthz answers 200. */
export async function startService(options: ServiceOptions): Promise<RunningService> {
  if (!existsSync(SERVER_SCRIPT)) throw new ServiceStartError(`${path.relative(process.cwd(), SERVER_SCRIPT)} is missing: run npm run build first`);
  for (let port = options.port; port < options.port + PORTS_TO_TRY; port++) {
    if (!(await isFree(port))) continue;
    const service = spawnService(port, options);
    options.onSpawn?.(service);
    const outcome = await waitHealthy(service);
    if (outcome === 'healthy') return service;
    // Someone took the port between our check and the child's listen: try the next one.
    if (/EADDRINUSE/.test(service.recentOutput())) continue;
    throw new ServiceStartError(describeFailure(service, outcome));
  }
  throw new ServiceStartError(`ports ${options.port}–${options.port + PORTS_TO_TRY - 1} are all taken (set DEMO_PORT)`);
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
  const child = spawn(process.execPath, [SERVER_SCRIPT], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = keepRecentLines(child, options.onOutput);
  const exited = new Promise<ChildExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const hasExited = () => child.exitCode !== null || child.signalCode !== null;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid,
    exited,
    recentOutput: () => output.join('\n'),
    async stop() {
      if (hasExited()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
    kill() {
      if (!hasExited()) child.kill('SIGKILL');
    },
  };
}

function keepRecentLines(child: ChildProcess, onLine: (line: string) => void = () => {}): string[] {
  const lines: string[] = [];
  const follow = (stream: NodeJS.ReadableStream | null) => {
    let partial = '';
    stream?.on('data', (chunk: Buffer) => {
      const parts = (partial + chunk.toString()).split('\n');
      partial = parts.pop() ?? '';
      const complete = parts.filter((line) => line.trim() !== '');
      complete.forEach((line) => onLine(line));
      lines.push(...complete);
      lines.splice(0, Math.max(0, lines.length - OUTPUT_LINES_KEPT));
    });
  };
  follow(child.stdout);
  follow(child.stderr);
  return lines;
}

/** 'healthy' once /healthz answers 200; how the child ended if it exits first. */
async function waitHealthy(service: RunningService): Promise<'healthy' | ChildExit> {
  let exit: ChildExit | undefined;
  void service.exited.then((how) => (exit = how));
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  while (exit === undefined && Date.now() < deadline) {
    if ((await healthStatus(service.baseUrl)) === 200) return 'healthy';
    await pause(100);
  }
  if (exit !== undefined) return exit;
  await service.stop();
  throw new ServiceStartError(`${service.baseUrl}/healthz did not answer 200 within ${HEALTH_TIMEOUT_MS / 1000} s:\n${service.recentOutput()}`);
}

async function healthStatus(baseUrl: string): Promise<number | null> {
  try {
    const response = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2000) });
    await response.text();
    return response.status;
  } catch {
    return null;
  }
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
  const how = exit.signal === null ? `exit code ${String(exit.code)}` : `signal ${exit.signal}`;
  const output = service.recentOutput();
  return `the service (pid ${String(service.pid)}) stopped with ${how}${output === '' ? '' : `; its last output:\n${output}`}`;
}
