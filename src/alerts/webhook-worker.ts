import type { AlertStore, DueDelivery } from './alert-store.js';
import { sendWebhook } from './webhook-sender.js';

export interface WebhookOptions {
  /** Refuse no address (loopback, private networks): for tests and closed networks only. */
  allowPrivate: boolean;
  /** Per attempt, connection to answer. */
  timeoutMs: number;
  /** The first retry's delay; each next one doubles it (with jitter), up to maxDelayMs. */
  retryBaseMs: number;
  maxDelayMs: number;
  /** After this many failed attempts the delivery is given up (failed). */
  maxAttempts: number;
  /**
   * The longest wait between two looks at the queue: after each look the worker sleeps until
   * the next delivery falls due, or this long when none is pending (another instance's
   * alerts, should that instance stop before delivering them).
   */
  pollMs: number;
}

export const DEFAULT_WEBHOOK_OPTIONS: WebhookOptions = {
  allowPrivate: false,
  timeoutMs: 5000,
  retryBaseMs: 1000,
  maxDelayMs: 10 * 60_000,
  maxAttempts: 10,
  pollMs: 30_000,
};

/** Deliveries taken per look. */
const BATCH = 10;

/** What became of one attempt: delivered, to be tried again, or given up. */
export type DeliveryOutcome = 'delivered' | 'retrying' | 'failed';

/**
 * Posts alerts' webhooks from the database's delivery queue, on every instance: each
 * takes due deliveries with a lease (no other instance takes them meanwhile), posts each
 * once, and records the outcome: delivered, or retried later with exponential backoff and
 * jitter, or given up after maxAttempts. A receiver that is down and then back gets
 * each alert once (its `x-session-log-delivery` header names the delivery, should a lease
 * expire mid-post and a second instance post it again).
 */
export class WebhookWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;

  constructor(
    private readonly store: AlertStore,
    private readonly options: WebhookOptions,
    private readonly hooks: { isReady: () => boolean; onError: (error: unknown) => void; onDelivery?: ((outcome: DeliveryOutcome) => void) | undefined },
  ) {}

  /** Looks at the queue now, then whenever a delivery falls due (deliveries of a rule since disabled or deleted still go out). */
  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Looks for due deliveries now (an alert with a webhook was just stored). */
  wake(): void {
    if (this.running !== null) {
      this.again = true;
      return;
    }
    if (this.stopped) return;
    if (!this.hooks.isReady()) return this.schedule(1000);
    this.running = this.deliverDue()
      .then(() => this.store.nextDeliveryAt())
      .then(
        (next) => this.schedule(next === null ? this.options.pollMs : next.getTime() - Date.now()),
        (error: unknown) => {
          this.hooks.onError(error);
          this.schedule(this.options.pollMs);
        },
      )
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.wake();
    }, Math.min(Math.max(delayMs, 0), this.options.pollMs));
    this.timer.unref();
  }

  private async deliverDue(): Promise<void> {
    // A lease outlasts every attempt of the batch, posted one after the other.
    const leaseMs = BATCH * this.options.timeoutMs * 2;
    for (let due = await this.store.claimDeliveries(new Date(), leaseMs, BATCH); due.length > 0; due = await this.store.claimDeliveries(new Date(), leaseMs, BATCH)) {
      for (const delivery of due) await this.attempt(delivery);
      if (this.stopped) return;
    }
  }

  private async attempt(delivery: DueDelivery): Promise<void> {
    const result = await sendWebhook(
      { url: delivery.url, body: delivery.body, secret: delivery.secret, deliveryId: String(delivery.deliveryId) },
      { timeoutMs: this.options.timeoutMs, allowPrivate: this.options.allowPrivate },
    );
    const attempts = delivery.attempts + 1;
    const retryAt = result.ok || attempts >= this.options.maxAttempts ? null : new Date(Date.now() + this.backoff(attempts));
    await this.store.finishDelivery(delivery.deliveryId, { ...result, retryAt }, new Date());
    this.hooks.onDelivery?.(result.ok ? 'delivered' : retryAt === null ? 'failed' : 'retrying');
  }

  /** Jittered (between half and all of the doubled delay), so that receivers coming back are not stampeded. */
  private backoff(attempts: number): number {
    const ceiling = Math.min(this.options.retryBaseMs * 2 ** (attempts - 1), this.options.maxDelayMs);
    return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
  }
}
