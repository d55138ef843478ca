import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EventStore } from '../storage/types.js';

export interface RetentionOptions {
  /** Events older than this many days are removed; 0 keeps everything. */
  days: number;
  /** Time between passes, and before the first one after start. */
  intervalMs: number;
  firstPassAfterMs: number;
  /** Rows of each kind per transaction: small enough that a writer waits for it only briefly. */
  batchSize: number;
  /** The least pause between batches; a pass pauses at least as long as its last batch took (half the time at most is cleaning). */
  pauseMs: number;
}

export const DEFAULT_RETENTION: RetentionOptions = { days: 90, intervalMs: 3_600_000, firstPassAfterMs: 60_000, batchSize: 2000, pauseMs: 50 };

/** What a pass removed (or, dry, would remove). */
export interface RetentionResult {
  retentionDays: number;
  cutoff: string | null;
  events: number;
  dryRun: boolean;
}

const LEASE = 'retention';
const LEASE_MS = 5 * 60_000;

/** Another instance is cleaning right now. */
export class RetentionBusyError extends Error {
  constructor() {
    super('another instance is applying the retention now');
    this.name = 'RetentionBusyError';
  }
}

/**
 * The service's own cleanup, with no cron: every interval, one instance (the one that
 * takes the lease in the database) removes what is older than the retention, in small
 * batches with pauses between them, so that ingest never waits long.
 */
export class RetentionJob {
  private readonly holder = randomUUID();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<RetentionResult> | null = null;
  private stopped = false;

  constructor(
    private readonly store: EventStore,
    readonly options: RetentionOptions,
    private readonly isReady: () => boolean,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    if (this.options.days > 0) this.schedule(this.options.firstPassAfterMs);
  }

  /** Stops scheduling and lets a pass under way end after its current batch. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** A pass now (after the one under way here, if any); dry: only counts. */
  async runNow(dryRun: boolean): Promise<RetentionResult> {
    const cutoff = this.cutoff();
    if (cutoff === null) return { retentionDays: 0, cutoff: null, events: 0, dryRun };
    if (dryRun) return { ...this.describe(cutoff, dryRun), events: await this.store.countEventsBefore(cutoff) };
    await this.running?.catch(() => undefined);
    return this.pass();
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      if (this.isReady()) {
        this.pass().catch((error: unknown) => {
          if (!(error instanceof RetentionBusyError)) this.onError(error);
        });
      }
      if (!this.stopped) this.schedule(this.options.intervalMs);
    }, delayMs);
    this.timer.unref();
  }

  private pass(): Promise<RetentionResult> {
    const run = this.removeOld().finally(() => {
      if (this.running === run) this.running = null;
    });
    this.running = run;
    return run;
  }

  private async removeOld(): Promise<RetentionResult> {
    const cutoff = this.cutoff() ?? new Date(0);
    let events = 0;
    for (;;) {
      if (!(await this.store.takeLease(LEASE, this.holder, new Date(Date.now() + LEASE_MS)))) throw new RetentionBusyError();
      const started = Date.now();
      const batch = await this.store.pruneBatch(cutoff, this.options.batchSize);
      events += batch.events;
      if (batch.done || this.stopped) break;
      await sleep(Math.max(this.options.pauseMs, Date.now() - started));
    }
    // Free the lease for whichever instance comes next.
    await this.store.takeLease(LEASE, this.holder, new Date(0));
    return { ...this.describe(cutoff, false), events };
  }

  private cutoff(): Date | null {
    return this.options.days === 0 ? null : new Date(Date.now() - this.options.days * 86_400_000);
  }

  private describe(cutoff: Date, dryRun: boolean) {
    return { retentionDays: this.options.days, cutoff: cutoff.toISOString(), dryRun };
  }
}
