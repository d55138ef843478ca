// One instance of the built service (dist/server.js) on a port of its own, which it keeps
// when it is killed and started again: nginx's upstream names that address.
import path from 'node:path';
import { describeExit, spawnChildServer, waitUntilReady, type ChildServer } from '../scripts/lib/child-server.js';

const READY_TIMEOUT_MS = 30_000;
/** pino's level for error and fatal lines. */
const ERROR_LEVEL = 50;

export interface InstanceSpec {
  name: string;
  port: number;
  databaseUrl: string;
  adminToken: string;
  root: string;
}

export interface ServiceInstance {
  readonly name: string;
  readonly port: number;
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** The process now running, undefined while it is down. */
  pid(): number | undefined;
  /** Lines it logged at level error or above, every run of it included. */
  errorLines(): readonly string[];
  /** Starts it and waits until /healthz answers 200. */
  start(): Promise<void>;
  /** SIGKILL: no drain, no goodbye, as a crash or an OOM kill would. */
  kill(): Promise<void>;
  /** SIGTERM (the service drains), SIGKILL after 10 s. */
  stop(): Promise<void>;
}

export function serviceInstance(spec: InstanceSpec): ServiceInstance {
  const url = `http://127.0.0.1:${spec.port}`;
  const errors: string[] = [];
  let child: ChildServer | undefined;
  // Nothing else from this environment (a RATE_LIMIT_… or METRICS_TOKEN meant for another service).
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '',
    DATABASE_URL: spec.databaseUrl,
    PORT: String(spec.port),
    HOST: '127.0.0.1',
    SESSION_LOG_ADMIN_TOKEN: spec.adminToken,
    // nginx's address: the rate limits then count the students' address, as in production.
    TRUST_PROXY: '127.0.0.1',
    RETENTION_DAYS: '0',
    LOG_LEVEL: 'warn',
  };
  const onLine = (line: string) => {
    process.stderr.write(`[${spec.name}] ${line}\n`);
    if (levelOf(line) >= ERROR_LEVEL) errors.push(line);
  };
  return {
    name: spec.name,
    port: spec.port,
    url,
    pid: () => (child === undefined || child.hasExited() ? undefined : child.pid),
    errorLines: () => errors,
    async start() {
      const started = spawnChildServer({ args: [path.join(spec.root, 'dist', 'server.js')], cwd: spec.root, env, onLine });
      child = started;
      const outcome = await waitUntilReady(`${url}/healthz`, started, READY_TIMEOUT_MS);
      if (outcome === 'ready') return;
      await started.stop();
      const why = outcome === 'timeout' ? `no 200 from /healthz within ${READY_TIMEOUT_MS / 1000} s` : describeExit(outcome);
      throw new Error(`${spec.name} did not start: ${why}\n${started.recentOutput()}`);
    },
    async kill() {
      child?.kill();
      await child?.exited;
    },
    async stop() {
      await child?.stop();
    },
  };
}

function levelOf(line: string): number {
  return Number(/"level":(\d+)/.exec(line)?.[1] ?? 0);
}
