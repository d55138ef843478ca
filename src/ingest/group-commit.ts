import { ServiceUnavailableError } from '../errors.js';
import { StoreUnavailableError, type EventStore, type NewEvent } from '../storage/types.js';

export interface GroupCommitOptions {
  /** Events per transaction; a request larger than this still commits whole. */
  maxGroupEvents: number;
  /** Events waiting for a commit; past this, new requests are refused with 503. */
  maxQueuedEvents: number;
}

export const DEFAULT_GROUP_COMMIT: GroupCommitOptions = { maxGroupEvents: 1000, maxQueuedEvents: 20_000 };

interface Pending {
  events: readonly NewEvent[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Durable writes at the speed of batches: requests that arrive while a transaction
 * commits are queued and written together in the next one, and each request's promise
 * settles only when the transaction holding its events has committed (or failed).
 *
 * @example
 * const committer = new GroupCommitter(store);
 * await committer.submit([event]); // stored durably once this resolves
 */
export class GroupCommitter {
  private queue: Pending[] = [];
  private queuedEvents = 0;
  private running: Promise<void> | null = null;
  private closing = false;

  constructor(
    private readonly store: EventStore,
    private readonly options: GroupCommitOptions = DEFAULT_GROUP_COMMIT,
  ) {}

  submit(events: readonly NewEvent[]): Promise<void> {
    if (this.closing) return Promise.reject(new ServiceUnavailableError('the service is shutting down'));
    if (this.queuedEvents + events.length > this.options.maxQueuedEvents) {
      return Promise.reject(new ServiceUnavailableError('too many events waiting to be stored; retry shortly'));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ events, resolve, reject });
      this.queuedEvents += events.length;
      this.running ??= this.run();
    });
  }

  /** Refuses new events and resolves once every queued one has been committed or refused. */
  async drain(): Promise<void> {
    this.closing = true;
    while (this.running !== null) await this.running;
  }

  private async run(): Promise<void> {
    // Let the requests parsed in this turn of the event loop join the first group.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.queue.length > 0) await this.commit(this.takeGroup());
    this.running = null;
  }

  private takeGroup(): Pending[] {
    let size = 0;
    let count = 0;
    while (count < this.queue.length) {
      const next = this.queue[count]?.events.length ?? 0;
      if (count > 0 && size + next > this.options.maxGroupEvents) break;
      size += next;
      count += 1;
    }
    return this.queue.splice(0, count);
  }

  private async commit(group: Pending[]): Promise<void> {
    const events = group.flatMap((pending) => pending.events);
    try {
      await this.store.insertEvents(events);
      for (const pending of group) pending.resolve();
    } catch (error) {
      await this.settleFailedGroup(group, error);
    } finally {
      this.queuedEvents -= events.length;
    }
  }

  /** A transient failure fails the whole group; any other is retried request by request, so one bad request cannot sink the others. */
  private async settleFailedGroup(group: Pending[], error: unknown): Promise<void> {
    if (error instanceof StoreUnavailableError || group.length === 1) {
      for (const pending of group) pending.reject(error);
      return;
    }
    for (const pending of group) {
      await this.store.insertEvents(pending.events).then(pending.resolve, pending.reject);
    }
  }
}
