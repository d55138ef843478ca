import { ServiceUnavailableError } from '../errors.js';
import { StoreUnavailableError, type EventStore, type NewEvent } from '../storage/types.js';

/** What the committer needs of a store: its group write, and how many of them may run at once. */
export type GroupWriter = Pick<EventStore, 'insertEvents' | 'writeConcurrency'>;

export interface GroupCommitOptions {
  /** Events per transaction; a request larger than this still commits whole. */
  maxGroupEvents: number;
  /** Events waiting for a commit; past this, new requests are refused with 503. */
  maxQueuedEvents: number;
  /** Request bytes waiting for a commit; past this, likewise. */
  maxQueuedBytes: number;
  /** After the database failed, how long new requests are refused at once instead of queued. */
  failFastMs: number;
  /** Groups handed to the store at once; past this, requests wait here and form larger groups. */
  maxInFlight: number;
}

export const DEFAULT_GROUP_COMMIT: GroupCommitOptions = {
  maxGroupEvents: 1000,
  maxQueuedEvents: 20_000,
  maxQueuedBytes: 64 * 1024 * 1024,
  failFastMs: 1000,
  maxInFlight: 1,
};

/** The defaults, with as many groups in flight as the store can use. */
export function groupCommitFor(store: GroupWriter): GroupCommitOptions {
  return { ...DEFAULT_GROUP_COMMIT, maxInFlight: store.writeConcurrency };
}

/** Why a request was refused at once (503) instead of queued. */
export type ShedCause = 'queue_full' | 'database_failing' | 'shutting_down';

/** Told of each group's outcome, for live readers and metrics; never delays an answer. */
export interface CommitObserver {
  committed(events: number, seconds: number): void;
  failed(events: number, seconds: number): void;
  shed(cause: ShedCause): void;
}

const unobserved: CommitObserver = { committed: () => {}, failed: () => {}, shed: () => {} };

const SHED_MESSAGES: Record<ShedCause, string> = {
  queue_full: 'too many events waiting to be stored; retry shortly',
  database_failing: 'database unavailable; retry shortly',
  shutting_down: 'the service is shutting down',
};

interface Pending {
  events: readonly NewEvent[];
  bytes: number;
  resolve: () => void;
  reject: (error: unknown) => void;
  /** Commit in a transaction of its own (a retry after its group failed). */
  alone?: boolean;
}

/**
 * Durable writes at the speed of batches: requests that arrive while transactions
 * commit are queued and written together in the next one, and each request's promise
 * settles only when the transaction holding its events has committed (or failed).
 *
 * @example
 * const committer = new GroupCommitter(store);
 * await committer.submit([event]); // stored durably once this resolves
 */
export class GroupCommitter {
  private queue: Pending[] = [];
  private queuedEvents = 0;
  private queuedBytes = 0;
  private failingUntil = 0;
  /** When the store last refused a group as unavailable; 0 once one has committed since. */
  private lastRefusal = 0;
  private inFlight = 0;
  private scheduled = false;
  private closing = false;
  private idle: { promise: Promise<void>; resolve: () => void } | null = null;

  constructor(
    private readonly store: GroupWriter,
    private readonly options: GroupCommitOptions = DEFAULT_GROUP_COMMIT,
    private readonly observer: CommitObserver = unobserved,
  ) {}

  /** Events waiting for a commit, or being committed. */
  get queuedEventCount(): number {
    return this.queuedEvents;
  }

  /** `bytes`: the request's size, for the memory bound (estimated when unknown). */
  submit(events: readonly NewEvent[], bytes = events.length * 1024): Promise<void> {
    const cause = this.shedCause(events.length, bytes);
    if (cause !== null) {
      this.observer.shed(cause);
      return Promise.reject(new ServiceUnavailableError(SHED_MESSAGES[cause]));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ events, bytes, resolve, reject });
      this.queuedEvents += events.length;
      this.queuedBytes += bytes;
      this.schedule();
    });
  }

  private shedCause(events: number, bytes: number): ShedCause | null {
    if (this.closing) return 'shutting_down';
    if (Date.now() < this.failingUntil) return 'database_failing';
    const full =
      this.queuedEvents + events > this.options.maxQueuedEvents || this.queuedBytes + bytes > this.options.maxQueuedBytes;
    return full ? 'queue_full' : null;
  }

  /**
   * Whether the store refused the last group it was given, in the last `withinMs`: it may
   * answer reads (a read-only database, a full disk) yet take no event.
   */
  refusing(withinMs = 10_000): boolean {
    return this.lastRefusal !== 0 && Date.now() - this.lastRefusal < withinMs;
  }

  /** Refuses new events and resolves once every queued one has been committed or refused. */
  drain(): Promise<void> {
    this.closing = true;
    if (this.queue.length === 0 && this.inFlight === 0) return Promise.resolve();
    if (this.idle === null) {
      let resolve = () => {};
      const promise = new Promise<void>((r) => (resolve = r));
      this.idle = { promise, resolve };
    }
    return this.idle.promise;
  }

  /** Let the requests parsed in this turn of the event loop join the next group. */
  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.options.maxInFlight) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.startCommits();
    });
  }

  private startCommits(): void {
    while (this.queue.length > 0 && this.inFlight < this.options.maxInFlight) this.commit(this.takeGroup());
    if (this.queue.length === 0 && this.inFlight === 0) this.idle?.resolve();
  }

  private takeGroup(): Pending[] {
    if (this.queue[0]?.alone === true) return this.queue.splice(0, 1);
    let size = 0;
    let count = 0;
    for (const pending of this.queue) {
      if (pending.alone === true || (count > 0 && size + pending.events.length > this.options.maxGroupEvents)) break;
      size += pending.events.length;
      count += 1;
    }
    return this.queue.splice(0, count);
  }

  private commit(group: Pending[]): void {
    const events = group.flatMap((pending) => pending.events);
    this.inFlight += 1;
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    this.store.insertEvents(events).then(
      () => {
        this.observer.committed(events.length, seconds());
        this.finish(group, null);
      },
      (error: unknown) => {
        this.observer.failed(events.length, seconds());
        this.finish(group, error);
      },
    );
  }

  /** Starts the next group before answering this one, so the database never waits on our replies. */
  private finish(group: Pending[], error: unknown): void {
    this.inFlight -= 1;
    let answered = group;
    if (error === null) this.lastRefusal = 0;
    if (error instanceof StoreUnavailableError) {
      this.lastRefusal = Date.now();
      // The database is down or busy: what waits here would fail the same way, only
      // later. Answer it now, and for a moment refuse new requests at once.
      this.failingUntil = Date.now() + this.options.failFastMs;
      answered = [...group, ...this.queue.splice(0)];
    } else if (error !== null && group.length > 1) {
      // Not the database's state but something in this group: retry each request alone,
      // so one bad request cannot sink the others.
      this.queue.unshift(...group.map((pending) => ({ ...pending, alone: true })));
      answered = [];
    }
    for (const pending of answered) {
      this.queuedEvents -= pending.events.length;
      this.queuedBytes -= pending.bytes;
    }
    this.startCommits();
    for (const pending of answered) {
      if (error === null) pending.resolve();
      else pending.reject(error);
    }
  }
}
