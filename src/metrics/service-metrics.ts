import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DeliveryOutcome } from '../alerts/webhook-worker.js';
import type { LimitName } from '../http/rate-limits.js';
import type { CommitObserver, ShedCause } from '../ingest/group-commit.js';
import type { PoolUse } from '../storage/types.js';

/** What the gauges read when scraped: the instance's state at that moment. */
export interface MetricSources {
  queuedEvents: () => number;
  liveConnections: () => number;
  poolUse: () => PoolUse | null;
}

const PREFIX = 'session_log_';
/** A group of one event to the queue's whole bound. */
const GROUP_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000];
/** From an fsync on a fast disk to a database that is struggling. */
const SECONDS_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * One instance's Prometheus metrics, in a registry of its own (several apps in one
 * process, as in tests, keep theirs apart). Each instance is scraped on its own.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  private readonly eventsAccepted = this.counter('events_accepted_total', 'Events stored and acknowledged.');
  private readonly refused = this.counter('ingest_refused_total', 'Ingest requests refused, by reason (their events were not stored).', ['reason']);
  private readonly shed = this.counter('ingest_shed_total', 'Ingest requests refused at once with 503 instead of queued, by cause.', ['cause']);
  private readonly limited = this.counter('rate_limited_total', 'Requests refused with 429, by which limit.', ['limit']);
  private readonly groupEvents = this.histogram('commit_group_events', 'Events per committed group (transaction).', GROUP_BUCKETS);
  private readonly commitSeconds = this.histogram('commit_seconds', 'Time from a group handed to the database to its commit (or failure).', SECONDS_BUCKETS, ['outcome']);
  private readonly requestSeconds = this.histogram('http_request_seconds', 'HTTP requests by route pattern, method and status.', SECONDS_BUCKETS, ['route', 'method', 'status']);
  private readonly alertsFired = this.counter('alerts_fired_total', 'Alerts raised by this instance.');
  private readonly deliveries = this.counter('alert_deliveries_total', 'Webhook delivery attempts, by outcome.', ['outcome']);

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: PREFIX });
  }

  /** Adds the gauges read from the instance's parts, once they exist. */
  watch(sources: MetricSources): void {
    this.gauge('ingest_queue_events', 'Events waiting for a commit or being committed.', (set) => set(sources.queuedEvents()));
    this.gauge('live_connections', 'Live connections open (event streams, WebSockets, alert streams).', (set) => set(sources.liveConnections()));
    this.gauge(
      'db_pool_connections',
      'PostgreSQL pool: connections open and idle, requests waiting for one, and the pool size (absent on SQLite).',
      (set) => {
        const use = sources.poolUse();
        if (use === null) return;
        for (const state of ['open', 'idle', 'waiting', 'max'] as const) set(use[state], { state });
      },
      ['state'],
    );
  }

  /** For the group committer. */
  readonly commits: CommitObserver = {
    committed: (events, seconds) => {
      this.eventsAccepted.inc(events);
      this.groupEvents.observe(events);
      this.commitSeconds.observe({ outcome: 'committed' }, seconds);
    },
    failed: (_events, seconds) => this.commitSeconds.observe({ outcome: 'failed' }, seconds),
    shed: (cause: ShedCause) => this.shed.inc({ cause }),
  };

  rateLimited(limit: LimitName): void {
    this.limited.inc({ limit });
  }

  ingestRefused(reason: string): void {
    this.refused.inc({ reason });
  }

  request(route: string, method: string, status: number, seconds: number): void {
    this.requestSeconds.observe({ route, method, status: String(status) }, seconds);
  }

  alertFired(): void {
    this.alertsFired.inc();
  }

  delivery(outcome: DeliveryOutcome): void {
    this.deliveries.inc({ outcome });
  }

  private counter(name: string, help: string, labelNames: string[] = []): Counter {
    return new Counter({ name: PREFIX + name, help, labelNames, registers: [this.registry] });
  }

  private histogram(name: string, help: string, buckets: number[], labelNames: string[] = []): Histogram {
    return new Histogram({ name: PREFIX + name, help, buckets, labelNames, registers: [this.registry] });
  }

  private gauge(name: string, help: string, read: (set: (value: number, labels?: Record<string, string>) => void) => void, labelNames: string[] = []): void {
    new Gauge({
      name: PREFIX + name,
      help,
      labelNames,
      registers: [this.registry],
      collect() {
        this.reset();
        read((value, labels) => (labels === undefined ? this.set(value) : this.set(labels, value)));
      },
    });
  }
}
