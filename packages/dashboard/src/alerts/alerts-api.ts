// The alerts API as the dashboard uses it (same origin, the session cookie as credentials).
import type {
  Alert,
  AlertResponse,
  AlertRule,
  AlertsResponse,
  ChangedRuleResponse,
  CreatedRuleResponse,
  DeliveriesResponse,
  Delivery,
  RuleChange,
  RuleInput,
  RulesResponse,
} from '../../../../src/alerts/alert-schemas.js';
import { call, withJson } from '../api.js';

export type { Alert, AlertRule, Delivery, RuleInput };

/** Where each new alert arrives, from whichever instance fired it (Server-Sent Events `alert`). */
export const ALERTS_STREAM = '/api/alerts/stream';

/** How many alerts the dashboard lists. */
export const ALERTS_SHOWN = 50;

/** The latest ALERTS_SHOWN alerts, newest first; only those nobody acknowledged yet if `unacknowledged`. */
export const getAlerts = (unacknowledged: boolean) =>
  call<AlertsResponse>(`/api/alerts?limit=${ALERTS_SHOWN}${unacknowledged ? '&unacknowledged=true' : ''}`);
export const acknowledgeAlert = (alertId: number) => call<AlertResponse>(`/api/alerts/${alertId}/acknowledge`, { method: 'POST' });

export const getRules = () => call<RulesResponse>('/api/alerts/rules');
/** The new rule, and its webhook secret: shown this once (null without a webhook). */
export const createRule = (input: RuleInput) => call<CreatedRuleResponse>('/api/alerts/rules', withJson('POST', input));
export const changeRule = (ruleId: number, change: RuleChange) => call<ChangedRuleResponse>(`/api/alerts/rules/${ruleId}`, withJson('PATCH', change));
export const deleteRule = (ruleId: number) => call<unknown>(`/api/alerts/rules/${ruleId}`, { method: 'DELETE' });
/** A rule's webhook deliveries: each alert sent, its attempts and the receiver's answers. */
export const getDeliveries = (ruleId: number) => call<DeliveriesResponse>(`/api/alerts/deliveries?ruleId=${ruleId}`);
