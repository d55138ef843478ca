import type { EventFilter } from '../live/event-matcher.js';
import type { StoredEvent } from '../storage/types.js';
import type { Alert, AlertRule, AlertStudent, Delivery, RuleKind } from './alert-schemas.js';

/** A rule as stored: what the API shows, and the secret that signs its webhooks. */
export interface StoredRule extends AlertRule {
  webhookSecret: string | null;
}

/** Everything of a rule but what the store assigns. */
export type RuleFields = Omit<StoredRule, 'ruleId' | 'createdAt' | 'updatedAt'>;

/** An alert about to fire. */
export interface NewAlert {
  ruleId: number;
  ruleName: string;
  kind: RuleKind;
  summary: string;
  students: AlertStudent[];
  step: string | null;
  stepName: string | null;
  event: StoredEvent | null;
}

/**
 * The right to fire for one problem: a rule fires for a `subject` (a session, or the class)
 * only about a problem later than the last it fired for (`sequence`, e.g. the event id),
 * and (unless the cooldown is 0) at least `cooldownMinutes` after that alert. Whichever
 * instance claims first fires; the others, and a restart reading the same events again,
 * find it claimed.
 */
export interface Claim {
  subject: string;
  /** What the problem is, in words kept with the claim, e.g. "event:42", "stuck:<since>". */
  problem: string;
  /** Orders a subject's problems: an event id, or the time a stay or a help request began. */
  sequence: number;
  at: Date;
  cooldownMinutes: number;
}

/** What an alert says, whichever rule fires it. */
export type AlertContent = Omit<NewAlert, 'ruleId' | 'ruleName' | 'kind'>;

/** Where and how to POST an alert; the body is made from the stored alert. */
export interface WebhookTarget {
  url: string;
  secret: string;
  body: (alert: Alert) => string;
}

/** A webhook delivery claimed for an attempt. */
export interface DueDelivery {
  deliveryId: number;
  url: string;
  body: string;
  secret: string;
  attempts: number;
}

export interface DeliveryOutcome {
  ok: boolean;
  status: number | null;
  error: string | null;
  /** When to try again; null: delivered, or given up. */
  retryAt: Date | null;
}

/**
 * Matching events in a window: how many, from how many students, and some of those
 * students. Counted over the window's newest 5,000 events: enough for any threshold worth
 * setting, and a bounded read.
 */
export interface MatchingEvents {
  events: number;
  students: number;
  latest: StoredEvent | null;
  sample: AlertStudent[];
}

/**
 * Where alert rules, alerts and their webhook deliveries live (one implementation over
 * every SQL engine). Claims, alerts and deliveries are written in one transaction, so an
 * alert fires once whichever instance saw the problem, and survives a restart.
 *
 * @example
 * const alert = await store.alerts.fire(newAlert, { subject: 'ws_1', problem: 'event:42', at, cooldownMinutes: 10 }, null, new Date());
 * // null: another instance (or an earlier alert within the cooldown) had it
 */
export interface AlertStore {
  createRule(rule: RuleFields, now: Date): Promise<StoredRule>;
  listRules(): Promise<StoredRule[]>;
  getRule(ruleId: number): Promise<StoredRule | null>;
  updateRule(ruleId: number, rule: RuleFields, now: Date): Promise<StoredRule | null>;
  deleteRule(ruleId: number): Promise<boolean>;
  /** What a rule last fired for about a subject, if it has. */
  readClaim(ruleId: number, subject: string): Promise<{ sequence: number; firedAt: Date } | null>;
  /** Claims, then stores the alert and its webhook delivery; null when the claim was not ours. */
  fire(alert: NewAlert, claim: Claim, webhook: WebhookTarget | null, now: Date): Promise<Alert | null>;
  /** Newest first; `since`: created at or after. */
  listAlerts(query: { limit: number; unacknowledged?: boolean; since?: Date }): Promise<Alert[]>;
  acknowledgeAlert(alertId: number, now: Date): Promise<Alert | null>;
  /** Takes up to `limit` deliveries due at `now`, each for `leaseMs` (no other instance takes them meanwhile). */
  claimDeliveries(now: Date, leaseMs: number, limit: number): Promise<DueDelivery[]>;
  finishDelivery(deliveryId: number, outcome: DeliveryOutcome, now: Date): Promise<void>;
  /** When the next pending delivery falls due (or its lease runs out); null when none is pending. */
  nextDeliveryAt(): Promise<Date | null>;
  listDeliveries(query: { ruleId?: number | undefined; alertId?: number | undefined; limit: number }): Promise<Delivery[]>;
  /** The event id up to which the evaluators have read the log. */
  readProgress(): Promise<number>;
  saveProgress(eventId: number): Promise<void>;
  countMatching(filter: EventFilter, since: Date): Promise<MatchingEvents>;
}
