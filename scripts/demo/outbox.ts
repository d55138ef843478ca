// One student's unsent events, sent to the real HTTP API in batches the way the browser
// SDK sends them: every 1–2 s, each event with its eventId (so a retry is stored once),
// retried with exponential backoff and full jitter on a 503 or a network failure.
import { pause } from './pause.js';

/** An event as `POST /api/session-log` takes it in `{ events: [...] }`. */
export interface OutgoingEvent {
  sessionToken: string;
  studentEmail?: string;
  studentName?: string;
  eventType: string;
  eventData: Record<string, unknown>;
  eventId: string;
  seq: number;
}

/** Counters shared by every outbox of a class. */
export interface DeliveryStats {
  eventsSent: number;
  eventsPending: number;
  /** Requests that failed and were retried (503, 5xx, network). */
  retries: number;
  /** Events the service refused with a 4xx: a bug in the simulation, never retried. */
  eventsRefused: number;
  lastProblem: string | null;
}

export interface Outbox {
  enqueue(event: OutgoingEvent): void;
  /** Stops the regular sends and tries to deliver what is left until `deadline` (ms since epoch). */
  close(deadline: number): Promise<void>;
}

export interface OutboxOptions {
  endpoint: string;
  /** Time between sends when all goes well. */
  flushIntervalMs: number;
  stats: DeliveryStats;
  /** Told once per refused batch, with the service's answer. */
  onRefused: (message: string) => void;
}

const MAX_BATCH = 50;
const REQUEST_TIMEOUT_MS = 10_000;
const MAX_BACKOFF_MS = 30_000;

type SendResult = { kind: 'sent' } | { kind: 'refused'; message: string } | { kind: 'retry'; afterMs: number; problem: string };

export function openOutbox(options: OutboxOptions): Outbox {
  const queue: OutgoingEvent[] = [];
  const stopping = new AbortController();
  let deadline = Number.POSITIVE_INFINITY;
  let failures = 0;

  async function sendBatch(): Promise<void> {
    const batch = queue.slice(0, MAX_BATCH);
    const timeoutMs = Math.max(100, Math.min(REQUEST_TIMEOUT_MS, deadline - Date.now()));
    const result = await post(options.endpoint, batch, timeoutMs);
    if (result.kind === 'retry') {
      failures += 1;
      options.stats.retries += 1;
      options.stats.lastProblem = result.problem;
      await pause(backoffMs(failures, result.afterMs), stopping.signal);
      return;
    }
    failures = 0;
    queue.splice(0, batch.length);
    options.stats.eventsPending -= batch.length;
    if (result.kind === 'sent') options.stats.eventsSent += batch.length;
    else {
      options.stats.eventsRefused += batch.length;
      options.onRefused(result.message);
    }
  }

  async function run(): Promise<void> {
    while (!stopping.signal.aborted) {
      await pause(options.flushIntervalMs, stopping.signal);
      while (queue.length > 0 && !stopping.signal.aborted) await sendBatch();
    }
    // Closing: what is left goes out now, retried quickly until the deadline.
    while (queue.length > 0 && Date.now() < deadline) {
      const before = queue.length;
      await sendBatch();
      if (queue.length === before) await pause(250);
    }
  }

  const running = run();
  return {
    enqueue(event) {
      queue.push(event);
      options.stats.eventsPending += 1;
    },
    async close(until) {
      deadline = until;
      stopping.abort();
      await running;
      options.stats.eventsPending -= queue.splice(0).length;
    },
  };
}

async function post(endpoint: string, events: OutgoingEvent[], timeoutMs: number): Promise<SendResult> {
  try {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ events }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    if (response.ok) return { kind: 'sent' };
    if (response.status >= 500 || response.status === 408 || response.status === 429) {
      return { kind: 'retry', afterMs: Number(response.headers.get('retry-after')) * 1000 || 0, problem: `HTTP ${response.status}` };
    }
    return { kind: 'refused', message: `HTTP ${response.status}: ${text.slice(0, 300)}` };
  } catch (error) {
    return { kind: 'retry', afterMs: 0, problem: error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error) };
  }
}

/**
 * Exponential backoff capped at 30 s, with full jitter so that 40 students do not retry
 * in step, and never sooner than the service's Retry-After. Math.random, not the seeded
 * generator: when retries happen depends on the service, not on the seed.
 */
function backoffMs(failures: number, retryAfterMs: number): number {
  return Math.max(retryAfterMs, Math.min(MAX_BACKOFF_MS, 500 * 2 ** failures) * Math.random());
}
