import autocannon from 'autocannon';
import { percentile } from './stats.js';

export interface HttpRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: Buffer;
}

export interface LoadOptions {
  /** e.g. http://127.0.0.1:4000 */
  url: string;
  connections: number;
  seconds: number;
  /** Sent in turn by every connection, each starting at a different place. */
  requests: readonly HttpRequest[];
}

export interface LoadResult {
  /** 2xx responses per second. */
  perSecond: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Latency of the 2xx responses, exact (autocannon's own histogram keeps whole milliseconds). */
  p50: number;
  p99: number;
  /** Status code → count, for reporting non-2xx answers. */
  statuses: Record<string, number>;
}

/** Closed-loop load with autocannon: each connection sends its next request once answered. */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { requests } = options;
  if (requests.length === 0) throw new Error('runLoad needs at least one request');
  const latencies: number[] = [];
  let clients = 0;
  const stride = Math.max(1, Math.floor(requests.length / options.connections));
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.seconds,
        timeout: 30,
        // Each connection gets the whole list, rotated, so concurrent requests differ.
        requests: [{ ...requests[0] }],
        setupClient: (client) => {
          const offset = (clients++ * stride) % requests.length;
          client.setRequests([...requests.slice(offset), ...requests.slice(0, offset)].map((r) => ({ ...r })));
        },
      },
      (error, result) => {
        if (error !== null) return reject(error);
        const sorted = Float64Array.from(latencies).sort();
        const statuses = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count]));
        resolve({
          perSecond: result['2xx'] / result.duration,
          ok: result['2xx'],
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          p50: percentile(sorted, 50),
          p99: percentile(sorted, 99),
          statuses,
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, latencyMs) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(latencyMs);
    });
  });
}

/** A one-line account of failed requests, or '' when all were 2xx. */
export function failures(result: LoadResult): string {
  const bad = Object.entries(result.statuses).filter(([code]) => !code.startsWith('2'));
  const parts = bad.map(([code, count]) => `${count}×${code}`);
  if (result.errors > 0) parts.push(`${result.errors} socket errors`);
  if (result.timeouts > 0) parts.push(`${result.timeouts} timeouts`);
  return parts.join(', ');
}
