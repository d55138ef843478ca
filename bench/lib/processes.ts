import { readFileSync } from 'node:fs';
import net from 'node:net';
import { describeExit, spawnChildServer, waitUntilReady, type ChildServer } from '../../scripts/lib/child-server.js';

const READY_TIMEOUT_MS = 60_000;

/** A server under test, running in its own process. */
export interface ServerProcess {
  readonly name: string;
  readonly url: string;
  /** The process's peak resident set (VmHWM) so far, in MB. */
  peakRssMb(): number | undefined;
  /** SIGTERM, then SIGKILL if it has not exited within 10 s. */
  stop(): Promise<void>;
}

export interface ServerSpec {
  name: string;
  /** Arguments to node, e.g. ['dist/server.js'] or ['--import', 'tsx', 'bench/servers/noop-server.ts']. */
  args: string[];
  env: Record<string, string>;
  cwd: string;
  /** Answers 200 once the server takes requests. */
  readyPath: string;
}

const live = new Set<ChildServer>();

/** Starts a server on a free loopback port (env PORT, HOST) and waits until it is ready. */
export async function startServer(spec: ServerSpec): Promise<ServerProcess> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, ...spec.env, PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production' };
  delete env.CORS_ORIGINS;
  const child = spawnChildServer({ args: spec.args, cwd: spec.cwd, env, onLine: (line) => process.stderr.write(`[${spec.name}] ${line}\n`) });
  live.add(child);
  void child.exited.then(() => live.delete(child));
  const url = `http://127.0.0.1:${port}`;
  const server: ServerProcess = { name: spec.name, url, peakRssMb: () => peakRssMb(child), stop: () => child.stop() };
  const outcome = await waitUntilReady(`${url}${spec.readyPath}`, child, READY_TIMEOUT_MS);
  if (outcome !== 'ready') {
    await child.stop();
    const why = outcome === 'timeout' ? `no 200 from ${spec.readyPath} within ${READY_TIMEOUT_MS / 1000} s` : describeExit(outcome);
    throw new Error(`${spec.name} did not start: ${why}\n${child.recentOutput()}`);
  }
  return server;
}

/** Last resort on exit: kill whatever is still running, synchronously. */
export function killAllSync(): void {
  for (const child of live) child.kill();
}

export async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return address.port;
}

function peakRssMb(child: ChildServer): number | undefined {
  if (child.pid === undefined || child.hasExited()) return undefined;
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
    return match?.[1] === undefined ? undefined : Number(match[1]) / 1024;
  } catch {
    return undefined;
  }
}

/** Stops every server still running (SIGTERM, then SIGKILL after 5 s). */
export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((child) => child.stop(5000)));
}
