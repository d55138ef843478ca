import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** One line of the access log deploy/nginx/session-log.conf writes (log_format session_log). */
export interface AccessLogEntry {
  client: string;
  method: string;
  path: string;
  status: number;
  /** The instances tried, in order: '127.0.0.1:3001', or '127.0.0.1:3001, 127.0.0.1:3002' after a retry. */
  upstream: string;
  upstreamStatus: string;
  requestId: string;
}

function readAccessLog(file: string): AccessLogEntry[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as AccessLogEntry);
}

/**
 * The entries matching `predicate`, once there are `count` of them: nginx writes a line
 * just after it has answered, so the answer can reach the client before the line is written.
 */
export async function accessLogEntries(file: string, predicate: (entry: AccessLogEntry) => boolean, count = 1, timeoutMs = 10_000): Promise<AccessLogEntry[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = readAccessLog(file).filter(predicate);
    if (found.length >= count) return found;
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${count} access log lines; have ${JSON.stringify(found)}`);
    await sleep(20);
  }
}
