import { ServiceUnavailableError } from '../errors.js';
import type { EventStore } from '../storage/types.js';
import type { EventFilter } from './event-matcher.js';
import type { LiveFeed } from './live-feed.js';
import { DEFAULT_SUBSCRIBER_LIMITS, Subscriber, type StreamSink, type SubscriberLimits } from './subscriber.js';

export interface LiveOptions extends SubscriberLimits {
  /** Live connections one instance serves at once; past this, new ones get a 503. */
  maxSubscribers: number;
  /** How often an idle stream sends a heartbeat, so that proxies keep it open. */
  heartbeatMs: number;
}

export const DEFAULT_LIVE_OPTIONS: LiveOptions = { ...DEFAULT_SUBSCRIBER_LIMITS, maxSubscribers: 1000, heartbeatMs: 15_000 };

/**
 * This instance's live connections (event streams, WebSockets, alert streams): the cap on
 * them, the shared feed of new events, and their end when the service shuts down.
 *
 * @example
 * const release = hub.admit();               // 503 past the cap
 * const subscriber = hub.subscribe(filter, afterEventId, sink);
 * onClose(() => { subscriber.close(); release(); });
 */
export class LiveHub {
  private connections = 0;
  private readonly open = new Set<Subscriber>();
  /** How to end the connections that are not subscribers (alert streams). */
  private readonly closers = new Set<() => void>();

  constructor(
    private readonly store: EventStore,
    readonly feed: LiveFeed,
    readonly options: LiveOptions = DEFAULT_LIVE_OPTIONS,
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  /** Live connections open now: streams, WebSockets, alert streams. */
  get connectionCount(): number {
    return this.connections;
  }

  /**
   * Counts a new live connection, or refuses it past the cap; returns its release.
   * `close` ends it at shutdown, for a connection that holds no subscriber.
   */
  admit(close?: () => void): () => void {
    if (this.connections >= this.options.maxSubscribers) {
      throw new ServiceUnavailableError(`this instance serves ${this.options.maxSubscribers} live connections already; retry later or on another instance`, 5);
    }
    this.connections += 1;
    const closer = close === undefined ? undefined : () => close();
    if (closer !== undefined) this.closers.add(closer);
    let released = false;
    return () => {
      if (!released) this.connections -= 1;
      released = true;
      if (closer !== undefined) this.closers.delete(closer);
    };
  }

  /** Starts a subscription (catching up from `afterEventId` if given); close it when the connection goes. */
  subscribe(filter: EventFilter, afterEventId: number | undefined, sink: StreamSink): Subscriber {
    const subscriber = new Subscriber(this.feed, this.store, filter, sink, this.options, () => this.open.delete(subscriber));
    this.open.add(subscriber);
    subscriber.start(afterEventId).catch(this.onError);
    return subscriber;
  }

  /** Ends every subscription (the service is shutting down): clients reconnect elsewhere and resume. */
  closeAll(): void {
    for (const subscriber of this.open) subscriber.end('shutting_down', 'the service is shutting down; reconnect to resume');
    for (const close of this.closers) close();
  }
}
