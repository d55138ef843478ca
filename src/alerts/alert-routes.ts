import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { onRequestAsyncHookHandler } from 'fastify';
import { AppError } from '../errors.js';
import { ErrorResponse } from '../schemas/responses.js';
import {
  AlertParams,
  AlertResponse,
  AlertsQuery,
  AlertStreamQuery,
  AlertsResponse,
  ChangedRuleResponse,
  CreatedRuleResponse,
  DeletedResponse,
  DeliveriesQuery,
  DeliveriesResponse,
  RuleChange,
  RuleInput,
  RuleParams,
  RuleResponse,
  RulesResponse,
} from './alert-schemas.js';
import type { AlertStore, StoredRule } from './alert-store.js';
import type { LiveHub } from '../live/live-hub.js';
import type { AlertSystem } from './alert-system.js';
import { changedRuleFields, ruleFields } from './rule-fields.js';

export interface AlertRoutesOptions {
  store: AlertStore;
  system: AlertSystem;
  requireInstructor: onRequestAsyncHookHandler;
  allowPrivateWebhooks: boolean;
  /** Alert streams are live connections: counted against the cap, ended at shutdown. */
  hub: LiveHub;
}

/** How far back a reconnecting alert stream looks for alerts it missed. */
const MISSED_ALERTS_MS = 60 * 60_000;
const errors = { 400: ErrorResponse, 401: ErrorResponse, 404: ErrorResponse, 503: ErrorResponse };
/** Where a reconnecting alert stream resumes: Last-Event-ID (an EventSource's own reconnection), else `cursor`. */
function resumeAfter(lastEventId: string | string[] | undefined, cursor: string | undefined): number | undefined {
  const position = typeof lastEventId === 'string' && /^\d{1,15}$/.test(lastEventId) ? lastEventId : cursor;
  return position === undefined ? undefined : Number(position);
}
const notFound = (what: string) => new AppError('not_found', 404, `no such ${what}`);
/** The API never shows a rule's webhook secret again after creating it. */
function shown(rule: StoredRule) {
  const { webhookSecret, ...visible } = rule;
  return visible;
}

/** /api/alerts: rules (create, list, update, enable/disable, delete), alerts (list, acknowledge, live), webhook deliveries. */
export const alertRoutes: FastifyPluginAsyncTypebox<AlertRoutesOptions> = async (app, options) => {
  const { store, system, allowPrivateWebhooks } = options;
  app.addHook('onRequest', options.requireInstructor);
  const rulesChanged = () => system.evaluator.refresh().catch((error: unknown) => app.log.warn({ err: error }, 'alerts: reading rules failed'));
  const tags = ['alerts'];
  const security = [{ instructorToken: [] }];

  app.get('/api/alerts/rules', { schema: { summary: 'List alert rules', tags, security, response: { 200: RulesResponse, ...errors } } }, async () => ({
    success: true as const,
    rules: (await store.listRules()).map(shown),
  }));

  app.post(
    '/api/alerts/rules',
    { schema: { summary: 'Create an alert rule', tags, security, body: RuleInput, response: { 201: CreatedRuleResponse, ...errors } } },
    async (request, reply) => {
      const rule = await store.createRule(await ruleFields(request.body, { allowPrivateWebhooks, secret: null }), new Date());
      void rulesChanged();
      return reply.code(201).send({ success: true as const, rule: shown(rule), webhookSecret: rule.webhookSecret });
    },
  );

  app.get('/api/alerts/rules/:ruleId', { schema: { summary: 'One alert rule', tags, security, params: RuleParams, response: { 200: RuleResponse, ...errors } } }, async (request) => {
    const rule = await store.getRule(request.params.ruleId);
    if (rule === null) throw notFound('rule');
    return { success: true as const, rule: shown(rule) };
  });

  app.patch(
    '/api/alerts/rules/:ruleId',
    { schema: { summary: 'Change an alert rule (e.g. {"enabled": false})', tags, security, params: RuleParams, body: RuleChange, response: { 200: ChangedRuleResponse, ...errors } } },
    async (request) => {
      const current = await store.getRule(request.params.ruleId);
      if (current === null) throw notFound('rule');
      const rule = await store.updateRule(current.ruleId, await changedRuleFields(current, request.body, allowPrivateWebhooks), new Date());
      if (rule === null) throw notFound('rule');
      void rulesChanged();
      // A first webhook has a new secret: shown this once, as at creation.
      const webhookSecret = rule.webhookSecret !== current.webhookSecret ? rule.webhookSecret : null;
      return { success: true as const, rule: shown(rule), webhookSecret };
    },
  );

  app.delete('/api/alerts/rules/:ruleId', { schema: { summary: 'Delete an alert rule (its alerts stay)', tags, security, params: RuleParams, response: { 200: DeletedResponse, ...errors } } }, async (request) => {
    if (!(await store.deleteRule(request.params.ruleId))) throw notFound('rule');
    void rulesChanged();
    return { success: true as const };
  });

  app.get('/api/alerts', { schema: { summary: 'Recent alerts, newest first', tags, security, querystring: AlertsQuery, response: { 200: AlertsResponse, ...errors } } }, async (request) => ({
    success: true as const,
    alerts: await store.listAlerts({ limit: request.query.limit ?? 50, unacknowledged: request.query.unacknowledged }),
  }));

  app.post(
    '/api/alerts/:alertId/acknowledge',
    { schema: { summary: 'Acknowledge an alert', tags, security, params: AlertParams, response: { 200: AlertResponse, ...errors } } },
    async (request) => {
      const alert = await store.acknowledgeAlert(request.params.alertId, new Date());
      if (alert === null) throw notFound('alert');
      return { success: true as const, alert };
    },
  );

  app.get(
    '/api/alerts/deliveries',
    { schema: { summary: 'Webhook deliveries, newest first', tags, security, querystring: DeliveriesQuery, response: { 200: DeliveriesResponse, ...errors } } },
    async (request) => ({
      success: true as const,
      deliveries: await store.listDeliveries({ ruleId: request.query.ruleId, alertId: request.query.alertId, limit: request.query.limit ?? 100 }),
    }),
  );

  app.get(
    '/api/alerts/stream',
    {
      sse: { kind: 'manual', serializer: (data: unknown) => String(data) },
      schema: {
        summary: 'New alerts as they fire, on any instance (Server-Sent Events: alert, ready)',
        description:
          'Each message’s id is an alert id (`ready`’s: the newest alert). Reconnecting with Last-Event-ID, or `cursor` set to such an id, ' +
          'first sends the alerts of the last hour fired after it.',
        tags,
        security,
        querystring: AlertStreamQuery,
        response: errors,
      },
    },
    async (request, reply) => {
      const after = resumeAfter(request.headers['last-event-id'], request.query.cursor);
      const release = options.hub.admit(() => reply.sse.close());
      reply.sse.keepAlive();
      reply.sse.sendHeaders();
      const send = (event: 'alert' | 'ready', id: number, data: unknown) =>
        reply.sse.send({ id: String(id), event, data: JSON.stringify(data) }).catch(() => undefined);
      // Listening first: an alert fired while the rest is read is sent, not lost.
      const stop = system.feed.listen((alert) => void send('alert', alert.alertId, alert));
      reply.sse.onClose(() => {
        stop();
        release();
      });
      const recent = await store.listAlerts({ limit: 200, since: new Date(Date.now() - MISSED_ALERTS_MS) });
      if (after !== undefined) for (const alert of [...recent].reverse()) if (alert.alertId > after) void send('alert', alert.alertId, alert);
      const newest = Math.max(after ?? 0, recent[0]?.alertId ?? 0);
      void send('ready', newest, {});
    },
  );
};
