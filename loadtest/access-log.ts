import { readFile } from 'node:fs/promises';

/** One request as deploy/nginx's `session_log` log format writes it. */
export interface AccessLine {
  /** ms since epoch (to the second: $time_iso8601). */
  at: number;
  method: string;
  path: string;
  status: number;
  /** The instances tried, in order: more than one when nginx moved the request on. */
  upstreams: string[];
}

export async function readAccessLog(file: string): Promise<AccessLine[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const entry = JSON.parse(line) as { time: string; method: string; path: string; status: number; upstream: string };
      // "127.0.0.1:3001, 127.0.0.1:3002": tried the first, then the second.
      const upstreams = entry.upstream.split(', ').filter((address) => address !== '');
      return { at: Date.parse(entry.time), method: entry.method, path: entry.path, status: entry.status, upstreams };
    });
}

export const isIngest = (line: AccessLine) => line.method === 'POST' && line.path === '/api/session-log';
