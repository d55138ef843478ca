// An instructor's live stream (GET /api/session-log/stream), kept up the way a browser's
// EventSource keeps it: when the connection drops it reconnects with Last-Event-ID and
// the service resumes right after that event. It keeps the id of every event received,
// to be checked against the database at the end: each one exactly once, none missing.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { pause } from '../scripts/demo/pause.js';

/** The filters a stream watches: all events, one type, or one student's session. */
export interface StreamFilter {
  eventType?: string;
  sessionToken?: string;
}

export interface StreamHistory {
  filter: StreamFilter;
  /** The position its first connection started from (events after it are its to see); null if it never opened. */
  startId: number | null;
  /** Connections lost while it was meant to be open (the instance behind it killed, an `end`). */
  drops: number;
  /** Connections opened again after the first. */
  reconnects: number;
  /** Reconnections whose `ready` named the Last-Event-ID sent: the service resumed where this stream was. */
  resumedAtLastEventId: number;
  /** Answers other than 200 when (re)connecting, by status. */
  refusals: number[];
  /** `end` messages received, by code (shutting_down, too_slow, unavailable). */
  endCodes: string[];
  /** The longest time from a drop to the next `ready`. */
  longestReconnectMs: number;
}

const RECONNECT_MS = 1000;
const READY_TIMEOUT_MS = 10_000;

export class LiveStream {
  /** Ids of the events received, in order of arrival. */
  readonly eventIds: number[] = [];
  readonly history: StreamHistory;
  private readonly closing = new AbortController();
  private readonly running: Promise<void>;
  private lastEventId: string | undefined;
  private droppedAt: number | undefined;
  private firstReady: () => void = () => {};
  private readonly opened = new Promise<void>((resolve) => (this.firstReady = resolve));

  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    filter: StreamFilter,
  ) {
    this.history = { filter, startId: null, drops: 0, reconnects: 0, resumedAtLastEventId: 0, refusals: [], endCodes: [], longestReconnectMs: 0 };
    this.running = this.run();
  }

  /** Resolves at the first `ready`; rejects if none comes within 10 s. */
  async ready(): Promise<void> {
    const waiting = new AbortController();
    const outcome = await Promise.race([this.opened.then(() => 'open'), pause(READY_TIMEOUT_MS, waiting.signal).then(() => 'timeout')]);
    waiting.abort();
    if (outcome !== 'open') throw new Error(`the live stream ${JSON.stringify(this.history.filter)} did not open within ${READY_TIMEOUT_MS / 1000} s`);
  }

  /** The id of the last event received, 0 before any. */
  lastId(): number {
    return this.eventIds.at(-1) ?? 0;
  }

  async close(): Promise<void> {
    this.closing.abort();
    await this.running;
  }

  private async run(): Promise<void> {
    while (!this.closing.signal.aborted) {
      const outcome = await this.connect();
      if (this.closing.signal.aborted) return;
      if (outcome === 'ended' && this.history.startId !== null) this.history.drops += 1;
      this.droppedAt ??= performance.now();
      await pause(RECONNECT_MS, this.closing.signal);
    }
  }

  /**
   * One connection, until it ends: 'refused' (an answer other than 200), else 'ended'.
   * node:http rather than fetch: a class's every event goes through the unfiltered
   * streams, and the load generator shares the machine with what it measures.
   */
  private connect(): Promise<'refused' | 'ended'> {
    const sent = this.lastEventId;
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}`, accept: 'text/event-stream' };
    if (sent !== undefined) headers['last-event-id'] = sent;
    const query = new URLSearchParams(this.history.filter as Record<string, string>).toString();
    const url = `${this.baseUrl}/api/session-log/stream${query === '' ? '' : `?${query}`}`;
    return new Promise((resolve) => {
      const request = http.get(url, { headers, agent: false, signal: this.closing.signal }, (response) => {
        if (response.statusCode !== 200) {
          this.history.refusals.push(response.statusCode ?? 0);
          response.resume();
          response.on('close', () => resolve('refused'));
          return;
        }
        response.setEncoding('utf8');
        let buffer = '';
        response.on('data', (chunk: string) => {
          buffer += chunk;
          for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
            this.onMessage(buffer.slice(0, end), sent);
            buffer = buffer.slice(end + 2);
          }
        });
        // Reset, cut mid-message, or ended by the service: reconnecting is the answer.
        response.on('error', () => {});
        response.on('close', () => resolve('ended'));
      });
      request.on('error', () => resolve('ended'));
    });
  }

  private onMessage(block: string, sentLastEventId: string | undefined): void {
    let id: string | undefined;
    let type = 'message';
    let data = '';
    for (const line of block.split('\n')) {
      if (line.startsWith('id: ')) id = line.slice(4);
      else if (line.startsWith('event: ')) type = line.slice(7);
      else if (line.startsWith('data: ')) data = line.slice(6);
    }
    if (id !== undefined) this.lastEventId = id;
    if (type === 'event' && id !== undefined) this.eventIds.push(eventIdOf(id));
    else if (type === 'ready' && id !== undefined) this.onReady(id, sentLastEventId);
    else if (type === 'end') this.history.endCodes.push((JSON.parse(data) as { code: string }).code);
  }

  private onReady(cursor: string, sentLastEventId: string | undefined): void {
    const { history } = this;
    if (history.startId === null) {
      history.startId = eventIdOf(cursor);
      this.firstReady();
      return;
    }
    history.reconnects += 1;
    if (cursor === sentLastEventId) history.resumedAtLastEventId += 1;
    if (this.droppedAt !== undefined) history.longestReconnectMs = Math.max(history.longestReconnectMs, performance.now() - this.droppedAt);
    this.droppedAt = undefined;
  }
}

/** A stream's id is an ascending cursor, base64url of "asc:<event id>". */
function eventIdOf(cursor: string): number {
  return Number(Buffer.from(cursor, 'base64url').toString().split(':')[1]);
}
