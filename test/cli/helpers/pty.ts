import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { CLI_ARGV, cliEnv } from './cli.js';

export interface PtyOptions {
  env?: Record<string, string>;
  /** Typed on the terminal once this text has appeared (a prompt). */
  answer?: { after: string; send: string };
  /** The terminal's width. */
  columns?: number;
  /** Sends stdout to this file instead of the terminal (stdin and stderr stay on it). */
  stdoutFile?: string;
}

/**
 * `session-log <args>` on a pseudo-terminal, as a person runs it: stdin, stdout and
 * stderr are a TTY (Python's pty module; python3 is on every machine here). Returns all it
 * wrote (stdout and stderr interleaved, as the person sees them) and its exit code.
 */
export async function runInPty(args: string[], options: PtyOptions = {}): Promise<{ output: string; code: number }> {
  const script = [
    'import fcntl, json, os, pty, struct, sys, termios',
    'spec = json.loads(sys.argv[1])',
    'pid, fd = pty.fork()',
    'if pid == 0:',
    "    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack('HHHH', 50, spec['columns'], 0, 0))",
    "    if spec.get('stdoutFile'):",
    "        os.dup2(os.open(spec['stdoutFile'], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644), 1)",
    "    os.execve(spec['argv'][0], spec['argv'], spec['env'])",
    "data = b''",
    "answer = spec.get('answer')",
    'while True:',
    '    try:',
    '        chunk = os.read(fd, 65536)',
    '    except OSError:',
    '        break',
    '    if not chunk:',
    '        break',
    '    data += chunk',
    "    if answer and answer['after'].encode() in data:",
    "        os.write(fd, answer['send'].encode())",
    '        answer = None',
    '_, status = os.waitpid(pid, 0)',
    "print(json.dumps({'output': data.decode('utf-8', 'replace'), 'code': os.waitstatus_to_exitcode(status)}))",
  ].join('\n');
  const spec = { argv: [...CLI_ARGV, ...args], env: cliEnv(options.env ?? {}), columns: options.columns ?? 160, answer: options.answer, stdoutFile: options.stdoutFile };
  const child = spawn('python3', ['-c', script, JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  await once(child, 'exit');
  const result = JSON.parse(out) as { output: string; code: number };
  // A terminal ends lines with \r\n.
  return { ...result, output: result.output.replace(/\r\n/g, '\n') };
}
