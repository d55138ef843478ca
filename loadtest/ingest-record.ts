import { performance } from 'node:perf_hooks';
import type { SendAttempt } from '../scripts/demo/class-simulation.js';
import { LatencyLog } from './latency-log.js';

/** How the students' POSTs went, as the students saw them. */
export interface IngestCounts {
  requests: number;
  tooManyRequests: number;
  serverErrors: number;
  /** No answer: a refused or reset connection, a timeout. */
  networkFailures: number;
  /** 4xx other than 429: a bug in the simulation or the service. */
  refused: number;
}

/**
 * Every students' POST: its acknowledgement latency, and the eventIds acknowledged, kept
 * to be looked for in the database at the end. What it does per request is small: the
 * generator shares the machine with what it measures.
 */
export class IngestRecord {
  /** Events in batches answered 200 (the service says they are stored), each once however often sent. */
  readonly acknowledged = new Set<string>();
  readonly latencies: LatencyLog;
  readonly counts: IngestCounts = { requests: 0, tooManyRequests: 0, serverErrors: 0, networkFailures: 0, refused: 0 };

  constructor(origin: number) {
    this.latencies = new LatencyLog(origin);
  }

  readonly onAttempt = (attempt: SendAttempt): void => {
    const { counts } = this;
    counts.requests += 1;
    const { status } = attempt;
    if (status === 200) {
      this.latencies.add(attempt.latencyMs, performance.now() - attempt.latencyMs);
      for (const event of attempt.events) this.acknowledged.add(event.eventId);
    } else if (status === null) counts.networkFailures += 1;
    else if (status === 429) counts.tooManyRequests += 1;
    else if (status >= 500) counts.serverErrors += 1;
    else counts.refused += 1;
  };
}
