import { encodeCursor } from '../query/cursor.js';
import type { EventStore, StoredEvent } from '../storage/types.js';
import { matchesFilter, type EventFilter } from './event-matcher.js';
import type { LiveFeed } from './live-feed.js';
import type { StreamMessage } from './stream-message.js';

/** Where a subscriber's messages go: an SSE response or a WebSocket. */
export interface StreamSink {
  /** Sends messages in order; resolves once the connection can take more (its backpressure). */
  write(messages: readonly StreamMessage[]): Promise<void>;
  /** Ends the connection after what was written. */
  end(): void;
  /** Cuts the connection at once, whatever is still unsent (a client that stopped reading). */
  destroy(): void;
}

export interface SubscriberLimits {
  /** Messages waiting for a slow connection; past this the subscriber is cut off. */
  maxPending: number;
  /** Events read per query when catching up from a cursor. */
  catchUpPage: number;
}

export const DEFAULT_SUBSCRIBER_LIMITS: SubscriberLimits = { maxPending: 5000, catchUpPage: 500 };

/** How long a cut-off connection has to take its last message before it is cut regardless. */
const LAST_WORDS_MS = 1000;

/**
 * One live subscription: from a cursor (or from now), every matching event once, in id
 * order. It joins the shared feed first and keeps what the feed hands it meanwhile, reads
 * what it missed from the database (pages of the same query as GET, waiting for the
 * connection between pages), then hands on the kept events it has not sent yet. A
 * connection that cannot keep up is cut off with a last message saying so, rather than
 * let its backlog grow in the server's memory.
 */
export class Subscriber {
  private readonly pending: StreamMessage[] = [];
  private kept: StoredEvent[] | null = [];
  private lastId = 0;
  private flushing: Promise<void> | null = null;
  private stopFeed: () => void = () => {};
  private closed = false;
  /** Cut off: the connection ends once the last message is out. */
  private ending = false;

  constructor(
    private readonly feed: LiveFeed,
    private readonly store: EventStore,
    private readonly filter: EventFilter,
    private readonly sink: StreamSink,
    private readonly limits: SubscriberLimits = DEFAULT_SUBSCRIBER_LIMITS,
    private readonly onClosed: () => void = () => {},
  ) {}

  /** Starts after event id `after` (a cursor's), or at the log's end when undefined. */
  async start(after: number | undefined): Promise<void> {
    try {
      const { position, stop } = await this.feed.join((events) => this.onFeed(events));
      this.stopFeed = stop;
      if (this.closed) return stop();
      this.lastId = after ?? position;
      this.push({ type: 'ready', cursor: encodeCursor('asc', this.lastId) });
      if (this.lastId < position) await this.catchUp(position);
    } catch (error) {
      this.end('unavailable', 'the database is unavailable; reconnect to resume');
      throw error;
    }
    const kept = this.kept ?? [];
    this.kept = null;
    this.deliver(kept);
  }

  /** Stops the subscription, sending nothing more (the client unsubscribed or went away). */
  close(): void {
    this.closed = true;
    this.stopFeed();
    this.onClosed();
  }

  private async catchUp(until: number): Promise<void> {
    const page = this.limits.catchUpPage;
    while (!this.closed && !this.ending && this.lastId < until) {
      const events = await this.store.queryEvents({ ...this.filter, order: 'asc', afterEventId: this.lastId, limit: page });
      this.deliver(events);
      if (events.length < page) return;
      await this.flushing;
    }
  }

  private onFeed(events: readonly StoredEvent[]): void {
    if (this.kept === null) return this.deliver(events);
    // While catching up: only what it will send, and no more than a connection may lag.
    for (const event of events) if (matchesFilter(event, this.filter)) this.kept.push(event);
    if (this.kept.length > this.limits.maxPending) this.end('too_slow', this.tooSlow());
  }

  private deliver(events: readonly StoredEvent[]): void {
    for (const event of events) {
      if (event.event_id <= this.lastId || !matchesFilter(event, this.filter)) continue;
      this.lastId = event.event_id;
      this.push({ type: 'event', cursor: encodeCursor('asc', event.event_id), event });
    }
  }

  private push(message: StreamMessage): void {
    if (this.closed || this.ending) return;
    if (this.pending.length >= this.limits.maxPending) {
      this.end('too_slow', this.tooSlow());
      return;
    }
    this.pending.push(message);
    // From the next microtask: the messages of one batch of the feed go out together.
    this.flushing ??= Promise.resolve().then(() => this.flush());
  }

  private tooSlow(): string {
    return `the connection fell ${this.limits.maxPending} events behind and was cut off; reconnect with the last cursor to resume`;
  }

  /** Ends the subscription with a last message saying why, then the connection; whatever else was waiting is dropped. */
  end(code: string, message: string): void {
    if (this.closed || this.ending) return;
    this.pending.length = 0;
    this.pending.push({ type: 'error', error: { code, message } });
    this.ending = true;
    this.stopFeed();
    this.onClosed();
    this.flushing ??= this.flush();
    // A client that stopped reading never takes it: the write waits for ever.
    setTimeout(() => this.flushing !== null && this.sink.destroy(), LAST_WORDS_MS).unref();
  }

  private async flush(): Promise<void> {
    try {
      while (this.pending.length > 0 && !this.closed) await this.sink.write(this.pending.splice(0));
    } catch {
      this.close();
    } finally {
      this.flushing = null;
    }
    if (this.ending) this.sink.end();
  }
}
