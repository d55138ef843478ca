import { spawn } from 'node:child_process';
import { ADMIN_TOKEN } from './test-app.js';

/** What a stalled reader read once it read again, to the end of the stream. */
export interface StalledReading {
  /** SSE `event` messages received. */
  events: number;
  /** Whether the server had ended the response (instead of keeping it open). */
  closedByServer: boolean;
}

/**
 * An SSE client of `path` that reads nothing until `resume()` is called, with a 4 KB
 * receive buffer: Node cannot shrink a socket's buffer, and Linux lets a loopback
 * receiver's grow to 32 MB, so a "slow" Node client would take tens of megabytes before
 * the server saw any backpressure. Python's standard library can (python3 is on every
 * machine here). `resume()` then reads what is left, for at most 10 s.
 */
export function stalledReader(baseUrl: string, path: string): { connected: Promise<void>; resume: () => Promise<StalledReading> } {
  const { hostname, port } = new URL(baseUrl);
  const script = [
    'import json, socket, sys',
    's = socket.socket()',
    's.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)',
    `s.connect((${JSON.stringify(hostname)}, ${port}))`,
    `s.sendall(b"GET ${path} HTTP/1.1\\r\\nHost: x\\r\\nAuthorization: Bearer ${ADMIN_TOKEN}\\r\\n\\r\\n")`,
    'data = s.recv(1)',
    'print("connected", flush=True)',
    'sys.stdin.readline()',
    's.settimeout(10)',
    'closed = False',
    'try:',
    '    while True:',
    '        chunk = s.recv(65536)',
    '        data += chunk',
    // The connection closed, or the response's last chunk (the connection may be kept alive).
    '        if not chunk or data.endswith(b"\\r\\n0\\r\\n\\r\\n"):',
    '            closed = True',
    '            break',
    'except OSError:',
    '    closed = not isinstance(sys.exc_info()[1], socket.timeout)',
    'print(json.dumps({"events": data.count(b"event: event\\n"), "closedByServer": closed}), flush=True)',
  ].join('\n');
  const child = spawn('python3', ['-c', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: string[] = [];
  const waiting: Array<() => void> = [];
  let buffer = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    for (let end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n')) {
      lines.push(buffer.slice(0, end));
      buffer = buffer.slice(end + 1);
      waiting.shift()?.();
    }
  });
  const line = (n: number) =>
    new Promise<string>((resolve, reject) => {
      const check = () => (lines.length > n ? resolve(lines[n]!) : waiting.push(check));
      child.once('exit', (code) => lines.length <= n && reject(new Error(`stalled reader exited (${code})`)));
      check();
    });
  return {
    connected: line(0).then(() => undefined),
    async resume() {
      child.stdin.end('go\n');
      return JSON.parse(await line(1)) as StalledReading;
    },
  };
}
