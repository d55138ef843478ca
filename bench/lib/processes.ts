import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** A server under test, running in its own process. */
export interface ServerProcess {
  readonly name: string;
  readonly url: string;
  readonly pid: number;
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

const live = new Set<ChildProcess>();

/** Starts a server on a free loopback port (env PORT, HOST) and waits until it is ready. */
export async function startServer(spec: ServerSpec): Promise<ServerProcess> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, ...spec.env, PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production' };
  delete env.CORS_ORIGINS;
  const child = spawn(process.execPath, spec.args, { cwd: spec.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => live.delete(child));
  const tail = forwardOutput(spec.name, child);
  const url = `http://127.0.0.1:${port}`;
  const server: ServerProcess = {
    name: spec.name,
    url,
    pid: child.pid ?? -1,
    peakRssMb: () => peakRssMb(child),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
  try {
    await waitReady(`${url}${spec.readyPath}`, child);
  } catch (error) {
    await server.stop();
    throw new Error(`${spec.name} did not start: ${String(error)}\n${tail.join('\n')}`, { cause: error });
  }
  return server;
}

/** Last resort on exit: kill whatever is still running, synchronously. */
export function killAllSync(): void {
  for (const child of live) child.kill('SIGKILL');
}

export async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return address.port;
}

async function waitReady(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`exited (${child.exitCode ?? child.signalCode})`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`no 200 from ${url} within ${timeoutMs / 1000} s`);
}

/** Prefixes the child's output lines with its name on our stderr; keeps the last lines for errors. */
function forwardOutput(name: string, child: ChildProcess): string[] {
  const tail: string[] = [];
  const onData = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (line.trim() === '') continue;
      process.stderr.write(`[${name}] ${line}\n`);
      tail.push(line);
      if (tail.length > 20) tail.shift();
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  return tail;
}

function peakRssMb(child: ChildProcess): number | undefined {
  if (child.pid === undefined || child.exitCode !== null) return undefined;
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
    return match?.[1] === undefined ? undefined : Number(match[1]) / 1024;
  } catch {
    return undefined;
  }
}

/** Stops every server still running (SIGTERM, then SIGKILL after 5 s). */
export async function stopAll(): Promise<void> {
  await Promise.all(
    [...live].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
}
