// A Node server as a child process, for the scripts that run one (the demo, the
// screenshots, the benchmark): spawn, follow its output, wait until it answers, stop it.
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

const OUTPUT_LINES_KEPT = 20;
const STOP_TIMEOUT_MS = 10_000;

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ChildServerOptions {
  /** Arguments to node, e.g. ['dist/server.js']. */
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Each non-empty line the child writes, stdout or stderr. */
  onLine?: (line: string) => void;
}

export interface ChildServer {
  readonly pid: number | undefined;
  /** Resolves when the process exits, however it ends. */
  readonly exited: Promise<ChildExit>;
  hasExited(): boolean;
  /** Its last lines of output, to say why it stopped. */
  recentOutput(): string;
  /** SIGTERM, then SIGKILL if it has not exited within `timeoutMs`. */
  stop(timeoutMs?: number): Promise<void>;
  /** SIGKILL at once. */
  kill(): void;
}

export function spawnChildServer(options: ChildServerOptions): ChildServer {
  const child = spawn(process.execPath, options.args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = keepRecentLines(child, options.onLine);
  const exited = new Promise<ChildExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const hasExited = () => child.exitCode !== null || child.signalCode !== null;
  return {
    pid: child.pid,
    exited,
    hasExited,
    recentOutput: () => lines.join('\n'),
    async stop(timeoutMs = STOP_TIMEOUT_MS) {
      if (hasExited()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    },
    kill() {
      if (!hasExited()) child.kill('SIGKILL');
    },
  };
}

/**
 * 'ready' once `url` answers 200; how the child ended if it exits first; 'timeout' if
 * neither happens within `timeoutMs`.
 */
export async function waitUntilReady(url: string, server: ChildServer, timeoutMs: number): Promise<'ready' | 'timeout' | ChildExit> {
  let exit: ChildExit | undefined;
  void server.exited.then((how) => (exit = how));
  const deadline = Date.now() + timeoutMs;
  while (exit === undefined && Date.now() < deadline) {
    if ((await statusOf(url)) === 200) return 'ready';
    await sleep(100);
  }
  return exit ?? 'timeout';
}

/** "exit code 1" or "signal SIGKILL". */
export function describeExit(exit: ChildExit): string {
  return exit.signal === null ? `exit code ${String(exit.code)}` : `signal ${exit.signal}`;
}

async function statusOf(url: string): Promise<number | null> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return null;
  }
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
