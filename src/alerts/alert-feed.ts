import type { ChangeChannel } from '../storage/types.js';
import type { Alert } from './alert-schemas.js';
import type { AlertStore } from './alert-store.js';

/** Alerts are looked for at most this often when word of new alerts comes. */
const MIN_READ_INTERVAL_MS = 500;
/** And this often when no word comes. */
const POLL_MS = 2000;
/** How far back each look reaches: alerts commit in any order, so each look overlaps the last. */
const LOOK_BACK_MS = 2 * 60_000;

/**
 * New alerts, from whichever instance fired them, for this instance's dashboards: this
 * instance's at once, the others' when they say so (the store's ChangeChannel) or within
 * a poll. Alert ids may commit out of order across instances, so each look re-reads the
 * last two minutes and hands on the alerts not seen yet.
 */
export class AlertFeed {
  private readonly listeners = new Set<(alert: Alert) => void>();
  private readonly seen = new Map<number, number>();
  private stopListening: (() => void) | null = null;
  private poll: NodeJS.Timeout | null = null;
  private lastRead = 0;
  private scheduled: NodeJS.Timeout | null = null;
  private primed: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: AlertStore,
    private readonly changes: ChangeChannel,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Calls `listener` with each new alert until the returned function is called. */
  listen(listener: (alert: Alert) => void): () => void {
    this.listeners.add(listener);
    if (this.stopListening === null) {
      // What was there before anyone listened is not news: the dashboard lists it itself.
      this.primed = this.read(false).catch(this.onError);
      this.stopListening = this.changes.listen('alerts', () => this.wake());
      this.poll = setInterval(() => this.wake(), POLL_MS);
      this.poll.unref();
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  }

  /** An alert this instance fired: to its dashboards now. */
  publish(alert: Alert): void {
    // With nobody listening there is nothing to tell, nor to remember (the first listener's read primes it).
    if (this.listeners.size === 0 || this.seen.has(alert.alertId)) return;
    this.seen.set(alert.alertId, Date.now());
    for (const listener of this.listeners) listener(alert);
  }

  private stop(): void {
    this.stopListening?.();
    this.stopListening = null;
    for (const timer of [this.poll, this.scheduled]) if (timer !== null) clearTimeout(timer);
    this.poll = null;
    this.scheduled = null;
  }

  private wake(): void {
    if (this.scheduled !== null) return;
    const wait = Math.max(0, this.lastRead + MIN_READ_INTERVAL_MS - Date.now());
    this.scheduled = setTimeout(() => {
      this.scheduled = null;
      this.lastRead = Date.now();
      this.primed.then(() => this.read()).catch(this.onError);
    }, wait);
  }

  private async read(announce = true): Promise<void> {
    const since = new Date(Date.now() - LOOK_BACK_MS);
    const alerts = await this.store.listAlerts({ limit: 200, since });
    for (const alert of alerts.reverse()) {
      if (announce) this.publish(alert);
      else this.seen.set(alert.alertId, Date.now());
    }
    for (const [id, at] of this.seen) if (at < since.getTime() - LOOK_BACK_MS) this.seen.delete(id);
  }
}
