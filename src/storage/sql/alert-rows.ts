import type { Selectable } from 'kysely';
import type { Alert, AlertStudent, Delivery, RuleKind, StuckStatus } from '../../alerts/alert-schemas.js';
import type { RuleFields, StoredRule } from '../../alerts/alert-store.js';
import type { StoredEvent } from '../types.js';
import type { Database } from './database.js';
import type { SqlEngine } from './sql-engine.js';

/** Rows of the alert tables to domain types and back: the one place that knows their columns. */

export function ruleColumns(engine: SqlEngine, rule: RuleFields) {
  return {
    name: rule.name,
    kind: rule.kind,
    filters: JSON.stringify(rule.filters),
    min_events: rule.minEvents,
    min_students: rule.minStudents,
    window_minutes: rule.windowMinutes,
    statuses: rule.statuses === null ? null : JSON.stringify(rule.statuses),
    cooldown_minutes: rule.cooldownMinutes,
    webhook_url: rule.webhookUrl,
    webhook_secret: rule.webhookSecret,
    enabled: engine.encodeBoolean(rule.enabled),
  };
}

export function toRule(engine: SqlEngine, row: Selectable<Database['alert_rules']>): StoredRule {
  return {
    ruleId: engine.decodeId(row.rule_id),
    name: row.name,
    kind: row.kind as RuleKind,
    filters: engine.decodeData(row.filters) as StoredRule['filters'],
    minEvents: row.min_events,
    minStudents: row.min_students,
    windowMinutes: row.window_minutes,
    statuses: row.statuses === null ? null : (engine.decodeData(row.statuses) as unknown as StuckStatus[]),
    cooldownMinutes: row.cooldown_minutes,
    webhookUrl: row.webhook_url,
    webhookSecret: row.webhook_secret,
    enabled: Boolean(row.enabled),
    createdAt: engine.decodeTime(row.created_at),
    updatedAt: engine.decodeTime(row.updated_at),
  };
}

export function toAlert(engine: SqlEngine, row: Selectable<Database['alerts']>): Alert {
  return {
    alertId: engine.decodeId(row.alert_id),
    ruleId: row.rule_id === null ? null : engine.decodeId(row.rule_id),
    ruleName: row.rule_name,
    kind: row.kind as RuleKind,
    summary: row.summary,
    students: engine.decodeData(row.students) as unknown as AlertStudent[],
    step: row.step,
    stepName: row.step_name,
    event: row.event === null ? null : (engine.decodeData(row.event) as unknown as StoredEvent),
    createdAt: engine.decodeTime(row.created_at),
    acknowledgedAt: row.acknowledged_at === null ? null : engine.decodeTime(row.acknowledged_at),
  };
}

export function toDelivery(engine: SqlEngine, row: Selectable<Database['webhook_deliveries']>): Delivery {
  const time = (raw: unknown) => (raw === null ? null : engine.decodeTime(raw));
  return {
    deliveryId: engine.decodeId(row.delivery_id),
    alertId: engine.decodeId(row.alert_id),
    ruleId: row.rule_id === null ? null : engine.decodeId(row.rule_id),
    url: row.url,
    status: row.status as Delivery['status'],
    attempts: row.attempts,
    lastStatus: row.last_status,
    lastError: row.last_error,
    nextAttemptAt: row.status === 'pending' ? time(row.next_attempt_at) : null,
    deliveredAt: time(row.delivered_at),
    createdAt: engine.decodeTime(row.created_at),
  };
}
