// A child process of the bench holding many live subscribers (SSE) to one service, so that
// parsing their streams does not slow the bench's own load generator. It measures each
// event's delivery: its arrival here minus its created_at (set by the database as it
// stored it; one clock, one machine). Driven by IPC: start, report (and reset), stop.
import http from 'node:http';
import { percentile } from './stats.js';

interface Start {
  type: 'start';
  url: string;
  token: string;
  /** One query string per subscriber. */
  queries: string[];
}

export interface FleetReport {
  connected: number;
  ended: number;
  events: number;
  p50: number;
  p99: number;
  /** This process's CPU since the last report, as a share of one core: what the subscribers themselves cost the machine. */
  cpuShare: number;
}

const requests: http.ClientRequest[] = [];
let latencies: number[] = [];
let connected = 0;
let ended = 0;
let lastCpu = process.cpuUsage();
let lastReport = performance.now();

function subscribe(url: string, token: string, query: string): void {
  const request = http.get(`${url}/api/session-log/stream?${query}`, { headers: { authorization: `Bearer ${token}` }, agent: false }, (response) => {
    connected += 1;
    response.setEncoding('utf8');
    let buffer = '';
    response.on('data', (chunk: string) => {
      buffer += chunk;
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (!block.includes('event: event\n')) continue;
        const created = /"created_at":"([^"]+)"/.exec(block)?.[1];
        if (created !== undefined) latencies.push(Date.now() - Date.parse(created));
      }
    });
    response.on('end', () => (ended += 1));
  });
  request.on('error', () => (ended += 1));
  requests.push(request);
}

function report(): FleetReport {
  const sorted = Float64Array.from(latencies).sort();
  latencies = [];
  const cpu = process.cpuUsage(lastCpu);
  const now = performance.now();
  const cpuShare = (cpu.user + cpu.system) / 1000 / Math.max(1, now - lastReport);
  lastCpu = process.cpuUsage();
  lastReport = now;
  return { connected, ended, events: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), cpuShare };
}

process.on('message', (message: Start | { type: 'report' } | { type: 'stop' }) => {
  if (message.type === 'start') {
    for (const query of message.queries) subscribe(message.url, message.token, query);
    process.send?.({ type: 'started' });
  } else if (message.type === 'report') {
    process.send?.({ type: 'report', report: report() });
  } else {
    for (const request of requests) request.destroy();
    process.exit(0);
  }
});
