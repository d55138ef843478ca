// One student's unsent events, sent to the real HTTP API in batches by the browser SDK's
// rules: a send `flushDelayMs` after the first queued event, or at once when 50 are
// queued; each event with its eventId (so a retry is stored once); retried with
// exponential backoff and full jitter on a 5xx, 408, 429 or a network failure.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
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
  /** Events still unsent when their outbox closed and its deadline passed. */
  eventsAbandoned: number;
  lastProblem: string | null;
}

/** One POST of a batch and how it ended, for whoever measures the service (the load test). */
export interface SendAttempt {
  /** The HTTP status; null when no answer came (a network failure, a timeout). */
  status: number | null;
  /** From the request's start to the answer's last byte. */
  latencyMs: number;
  events: readonly OutgoingEvent[];
}

export interface Outbox {
  enqueue(event: OutgoingEvent): void;
  /** Stops the regular sends and tries to deliver what is left until `deadline` (ms since epoch). */
  close(deadline: number): Promise<void>;
}

export interface OutboxOptions {
  endpoint: string;
  /** How long after the first queued event a batch goes (the SDK's is 1 s). */
  flushDelayMs: number;
  stats: DeliveryStats;
  /** Told once per refused batch, with the service's answer. */
  onRefused: (message: string) => void;
  onAttempt?: (attempt: SendAttempt) => void;
}

/** The SDK sends at once when this many are queued… */
const BATCH_SIZE = 50;
/** …and at most this many in one request (the service's cap). */
const MAX_BATCH = 500;
const REQUEST_TIMEOUT_MS = 10_000;
const MAX_BACKOFF_MS = 30_000;

type SendResult = { kind: 'sent' } | { kind: 'refused'; message: string } | { kind: 'retry'; afterMs: number; problem: string };

export function openOutbox(options: OutboxOptions): Outbox {
  const queue: OutgoingEvent[] = [];
  const stopping = new AbortController();
  let deadline = Number.POSITIVE_INFINITY;
  let failures = 0;
  /** Re-checks what the loop waits for: told of each new event and of the close. */
  let recheck: (() => void) | undefined;

  /** Resolves once `ready()` holds or the outbox closes, or after `timeoutMs`. */
  function until(ready: () => boolean, timeoutMs = Number.POSITIVE_INFINITY): Promise<void> {
    if (stopping.signal.aborted || ready()) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        recheck = undefined;
        resolve();
      };
      const timer = Number.isFinite(timeoutMs) ? setTimeout(done, timeoutMs) : undefined;
      recheck = () => {
        if (stopping.signal.aborted || ready()) done();
      };
    });
  }

  async function sendBatch(): Promise<void> {
    const batch = queue.slice(0, MAX_BATCH);
    const timeoutMs = Math.max(100, Math.min(REQUEST_TIMEOUT_MS, deadline - Date.now()));
    const result = await post(options, batch, timeoutMs);
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
      await until(() => queue.length > 0);
      await until(() => queue.length >= BATCH_SIZE, options.flushDelayMs);
      // What arrives while a batch is on its way goes at once after it, as with the SDK.
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
      recheck?.();
    },
    async close(by) {
      deadline = by;
      stopping.abort();
      recheck?.();
      await running;
      const abandoned = queue.splice(0).length;
      options.stats.eventsPending -= abandoned;
      options.stats.eventsAbandoned += abandoned;
    },
  };
}

async function post(options: OutboxOptions, events: OutgoingEvent[], timeoutMs: number): Promise<SendResult> {
  const started = performance.now();
  let status: number | null = null;
  try {
    const answer = await request(options.endpoint, JSON.stringify({ events }), timeoutMs);
    status = answer.status;
    if (status >= 200 && status < 300) return { kind: 'sent' };
    if (status >= 500 || status === 408 || status === 429) {
      return { kind: 'retry', afterMs: Number(answer.retryAfter) * 1000 || 0, problem: `HTTP ${status}` };
    }
    return { kind: 'refused', message: `HTTP ${status}: ${answer.text.slice(0, 300)}` };
  } catch (error) {
    return { kind: 'retry', afterMs: 0, problem: error instanceof Error ? error.message : String(error) };
  } finally {
    options.onAttempt?.({ status, latencyMs: performance.now() - started, events });
  }
}

/**
 * Connections kept open between a class's batches, as a browser keeps its own. Plain
 * node:http rather than fetch: a fifth of the CPU per request, which matters when one
 * process plays thousands of students on the machine that runs the service.
 */
const agent = new http.Agent({ keepAlive: true });

interface Answer {
  status: number;
  retryAfter: string | undefined;
  text: string;
}

function request(endpoint: string, body: string, timeoutMs: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
    const outgoing = http.request(endpoint, { method: 'POST', agent, headers, timeout: timeoutMs }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const retryAfter = response.headers['retry-after'];
        resolve({ status: response.statusCode ?? 0, retryAfter, text: Buffer.concat(chunks).toString() });
      });
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/**
 * The SDK's backoff: exponential from 2 s, capped at 30 s, with full jitter so that a class
 * does not retry in step, and never sooner than the service's Retry-After. Math.random, not
 * the seeded generator: when retries happen depends on the service, not on the seed.
 */
function backoffMs(failures: number, retryAfterMs: number): number {
  return Math.max(retryAfterMs, Math.min(MAX_BACKOFF_MS, 1000 * 2 ** failures) * Math.random());
}
