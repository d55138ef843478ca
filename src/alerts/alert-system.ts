import type { LiveFeed } from '../live/live-feed.js';
import type { EventStore } from '../storage/types.js';
import { AlertEvaluator } from './alert-evaluator.js';
import type { AlertOptions } from './alert-options.js';
import { AlertFeed } from './alert-feed.js';
import { WebhookWorker, type DeliveryOutcome, type WebhookOptions } from './webhook-worker.js';

export interface AlertHooks {
  /** False until the schema is migrated: nothing is read before. */
  isReady: () => boolean;
  onError: (error: unknown) => void;
  /** For metrics: an alert fired here, and each webhook attempt's outcome. */
  onFired?: () => void;
  onDelivery?: (outcome: DeliveryOutcome) => void;
}

/**
 * The alert system of one instance: the evaluator that fires alerts, the feed that hands
 * every instance's alerts to this one's dashboards, and the worker that posts webhooks.
 * A fired alert goes to this instance's dashboards at once, wakes the worker, and is
 * announced to the other instances.
 */
export class AlertSystem {
  readonly feed: AlertFeed;
  readonly evaluator: AlertEvaluator;
  readonly webhooks: WebhookWorker;

  constructor(
    store: EventStore,
    events: LiveFeed,
    readonly options: { alerts: AlertOptions; webhooks: WebhookOptions },
    { isReady, onError, onFired, onDelivery }: AlertHooks,
  ) {
    this.feed = new AlertFeed(store.alerts, store.changes, onError);
    this.webhooks = new WebhookWorker(store.alerts, options.webhooks, { isReady, onError, onDelivery });
    this.evaluator = new AlertEvaluator(store, events, options.alerts, {
      isReady,
      onAlert: (alert) => {
        onFired?.();
        this.feed.publish(alert);
        this.webhooks.wake();
        store.changes.announce('alerts');
      },
      onError,
    });
  }

  start(): void {
    this.evaluator.start();
    this.webhooks.start();
  }

  async stop(): Promise<void> {
    await this.evaluator.stop();
    await this.webhooks.stop();
  }
}
