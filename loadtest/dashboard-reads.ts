// Instructors with the dashboard open, each reading what its views read, in a loop: the
// class overview (which the dashboard reloads at most every 2 s while events arrive), a
// student's timeline, and the error patterns of the last hour.
import { performance } from 'node:perf_hooks';
import { pause } from '../scripts/demo/pause.js';
import { LatencyLog, type LatencySummary } from './latency-log.js';

export const READ_KINDS = ['overview', 'timeline', 'errors'] as const;
export type ReadKind = (typeof READ_KINDS)[number];

export interface DashboardReadsOptions {
  url: string;
  token: string;
  instructors: number;
  /** The students' session tokens: each timeline read opens one of them. */
  sessionTokens: readonly string[];
  origin: number;
}

export interface ReadSummaries {
  /** Reads answered 200, every view together. */
  all: LatencySummary;
  byView: Record<ReadKind, LatencySummary>;
  /** Reads answered otherwise, by status (0: no answer). */
  failures: Record<string, number>;
}

export interface DashboardReads {
  summary(): ReadSummaries;
  stop(): Promise<void>;
}

const LOOP_PAUSE_MS = 2000;

export function startDashboardReads(options: DashboardReadsOptions): DashboardReads {
  const stopping = new AbortController();
  const all = new LatencyLog(options.origin);
  const latencies = Object.fromEntries(READ_KINDS.map((kind) => [kind, new LatencyLog(options.origin)])) as Record<ReadKind, LatencyLog>;
  const failures: Record<string, number> = {};
  const headers = { authorization: `Bearer ${options.token}` };

  const read = async (kind: ReadKind, path: string): Promise<void> => {
    const started = performance.now();
    let status = 0;
    try {
      const response = await fetch(`${options.url}${path}`, { headers, signal: AbortSignal.timeout(30_000) });
      await response.arrayBuffer();
      status = response.status;
    } catch {
      // No answer: counted as status 0 below.
    }
    const now = performance.now();
    if (status === 200) {
      latencies[kind].add(now - started, started);
      all.add(now - started, started);
    } else failures[status] = (failures[status] ?? 0) + 1;
  };

  const instructor = async (index: number): Promise<void> => {
    // Not all at once: dashboards are opened one after the other.
    await pause(index * 300, stopping.signal);
    for (let round = 0; !stopping.signal.aborted; round++) {
      await read('overview', '/api/sessions?activeWithin=3h&limit=2000');
      const token = options.sessionTokens[(index * 7919 + round * 31) % options.sessionTokens.length] ?? '';
      await read('timeline', `/api/session-log?${new URLSearchParams({ sessionToken: token, order: 'desc', limit: '1000' }).toString()}`);
      await read('errors', `/api/analytics/errors?since=${new Date(Date.now() - 3_600_000).toISOString()}`);
      await pause(LOOP_PAUSE_MS * (0.75 + Math.random() / 2), stopping.signal);
    }
  };

  const running = Promise.all(Array.from({ length: options.instructors }, (_, index) => instructor(index)));
  return {
    summary: () => ({ all: all.summary(), byView: Object.fromEntries(READ_KINDS.map((kind) => [kind, latencies[kind].summary()])) as Record<ReadKind, LatencySummary>, failures: { ...failures } }),
    async stop() {
      stopping.abort();
      await running;
    },
  };
}
