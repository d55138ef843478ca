import { getEvents, getSessionEvents, type StoredEvent } from '../api.js';
import { isFailure } from '../event-summary.js';
import { mergeEvents } from './merge-events.js';

/** What a timeline shows: the session's latest events, whether that is all of them, the one to open first. */
export interface SessionEvents {
  events: StoredEvent[];
  complete: boolean;
  focus: number | undefined;
}

const MAX_EVENTS = 5000;
/** While the stream is down: how often to read the latest events instead, and how many. */
const POLL_MS = 5000;
const POLL_LIMIT = 100;
/** A stream not up by then: read the history without it. */
const FIRST_POLL_MS = 3000;

/**
 * One session's events, from its history (read once the stream is ready, so that nothing
 * falls between) and the live stream, merged by event_id; read by polling while the
 * stream is down. Hands each new state to `show` once the history is in.
 *
 * @example const feed = new SessionFeed('ws_1', setShown, onError); stream.onReady = () => feed.loadHistory(); stream.onEvent = (e) => feed.add([e]);
 */
export class SessionFeed {
  private events: StoredEvent[] = [];
  private complete = true;
  private focus: number | undefined;
  private historyLoaded = false;
  private pollTimer = 0;
  private stopped = false;

  constructor(
    private readonly sessionToken: string,
    private readonly show: (shown: SessionEvents) => void,
    private readonly onError: (error: unknown) => void,
  ) {
    this.setLive(false);
  }

  /** Reads the latest events of the session (the history), merging what the stream brought meanwhile. */
  loadHistory(): Promise<void> {
    return getSessionEvents(this.sessionToken, MAX_EVENTS).then((answer) => {
      this.complete = answer.complete;
      this.add(answer.events);
      if (this.historyLoaded) return;
      this.historyLoaded = true;
      // Opened to see why the student is stuck: their latest error (the overview's "latest error"), else their latest failed call.
      this.focus = (this.events.findLast((e) => e.event_type === 'error') ?? this.events.findLast(isFailure))?.event_id;
      this.publish();
    }, this.failed);
  }

  add(events: readonly StoredEvent[]): void {
    if (this.stopped || events.length === 0) return;
    const merged = mergeEvents(this.events, events, MAX_EVENTS);
    // The oldest ones made room: no longer the whole session.
    if (merged.length === MAX_EVENTS && this.events.length > 0 && merged[0]?.event_id !== this.events[0]?.event_id) this.complete = false;
    this.events = merged;
    this.publish();
  }

  /** The stream is up: no polling. Down: poll until it is back (at once if it never came up). */
  setLive(live: boolean): void {
    clearTimeout(this.pollTimer);
    this.pollTimer = 0;
    if (!live && !this.stopped) this.pollTimer = window.setTimeout(() => void this.poll(), this.historyLoaded ? POLL_MS : FIRST_POLL_MS);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.pollTimer);
  }

  private async poll(): Promise<void> {
    if (!this.historyLoaded) await this.loadHistory();
    else {
      const page = await getEvents(new URLSearchParams({ sessionToken: this.sessionToken, order: 'desc', limit: String(POLL_LIMIT) })).catch(this.failed);
      const known = new Set(this.events.map((e) => e.event_id));
      // More arrived than a page holds since the last read: read the history again.
      if (page?.hasMore === true && !page.events.some((e) => known.has(e.event_id))) await this.loadHistory();
      else if (page !== undefined) this.add(page.events.filter((e) => !known.has(e.event_id)).reverse());
    }
    // Still down (the stream did not come back meanwhile): read again later.
    if (this.pollTimer !== 0) this.setLive(false);
  }

  private publish(): void {
    if (this.historyLoaded && !this.stopped) this.show({ events: this.events, complete: this.complete, focus: this.focus });
  }

  private readonly failed = (error: unknown): undefined => {
    if (!this.stopped) this.onError(error);
    return undefined;
  };
}
