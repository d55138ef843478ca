import type { EventStore, StoredEvent } from '../storage/types.js';

/** What the feed hands its listeners: events in id order, each after the one before. */
export type FeedListener = (events: readonly StoredEvent[]) => void;

export interface LiveFeedOptions {
  /** Events read per query while catching up with the log. */
  pageSize: number;
  /** How often the log is read when no word of new events came (word can be lost). */
  pollMs: number;
  /** After word that found nothing settled yet (a write still in progress), read again this soon. */
  recheckMs: number;
}

export const DEFAULT_FEED_OPTIONS: LiveFeedOptions = { pageSize: 1000, pollMs: 1000, recheckMs: 25 };

/**
 * One follower of the event log per instance, shared by every live subscriber and the
 * alert evaluator: it reads what is new once (an `asc` read past its position, which
 * stops at the visibility horizon) and hands it to each listener, instead of one query
 * per subscriber per commit. It reads when word comes that events were stored (this
 * instance's commits, other instances' through the store's ChangeChannel), and every
 * `pollMs` in case word was lost. It runs only while someone listens.
 *
 * @example
 * const feed = new LiveFeed(store);
 * const { position, stop } = await feed.join((events) => console.log(events.length));
 */
export class LiveFeed {
  private readonly listeners = new Set<FeedListener>();
  private position = 0;
  private starting: Promise<void> | null = null;
  private reading = false;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private unlisten: (() => void) | null = null;

  constructor(
    private readonly store: EventStore,
    private readonly options: LiveFeedOptions = DEFAULT_FEED_OPTIONS,
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  /**
   * Adds a listener. It is handed every event with an id above `position`, which is
   * settled: every event at or below it is already readable, none will commit later.
   */
  async join(listener: FeedListener): Promise<{ position: number; stop: () => void }> {
    if (this.unlisten === null) {
      this.starting ??= this.start();
      await this.starting;
    }
    this.listeners.add(listener);
    return { position: this.position, stop: () => this.leave(listener) };
  }

  /** Reads what is new now (and again after the read under way, if one is): word came that events were stored. */
  wake(): void {
    this.readNow(true);
  }

  private async start(): Promise<void> {
    try {
      this.position = await this.store.latestSettledEventId();
      this.unlisten = this.store.changes.listen('events', () => this.wake());
      this.schedule(this.options.pollMs);
    } finally {
      this.starting = null;
    }
  }

  private leave(listener: FeedListener): void {
    this.listeners.delete(listener);
    if (this.listeners.size > 0 || this.unlisten === null) return;
    // Nobody listens: stop reading. The next listener starts from the log's end then.
    this.unlisten();
    this.unlisten = null;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private readNow(signalled: boolean): void {
    if (this.unlisten === null) return;
    if (this.reading) {
      this.again ||= signalled;
      return;
    }
    void this.read(signalled);
  }

  private async read(signalled: boolean): Promise<void> {
    this.reading = true;
    let found = 0;
    let failed = false;
    try {
      for (let full = true; full && this.unlisten !== null; ) {
        const events = await this.store.queryEvents({ dataFilters: [], order: 'asc', afterEventId: this.position, limit: this.options.pageSize });
        full = events.length === this.options.pageSize;
        if (events.length === 0 || this.unlisten === null) break;
        this.position = events.at(-1)!.event_id;
        found += events.length;
        for (const listener of this.listeners) listener(events);
      }
    } catch (error) {
      failed = true;
      this.onError(error);
    } finally {
      this.reading = false;
    }
    if (this.again && !failed) {
      this.again = false;
      this.wake();
    } else {
      this.again = false;
      // Word that found nothing came while a write of lower ids was still in progress: look
      // again soon, once. Otherwise (and after a failure) the next poll.
      this.schedule(signalled && found === 0 && !failed ? this.options.recheckMs : this.options.pollMs);
    }
  }

  private schedule(delayMs: number): void {
    if (this.unlisten === null) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.readNow(false);
    }, delayMs);
    this.timer.unref();
  }
}
