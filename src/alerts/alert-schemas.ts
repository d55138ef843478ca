import { Type, type Static } from 'typebox';
import { StreamFilters } from '../schemas/event-query.js';
import { StoredEventSchema } from '../schemas/responses.js';
import { PlainText } from '../schemas/text.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const Instant = Type.String({ format: 'date-time' });

const Kind = Type.Union([Type.Literal('match'), Type.Literal('class_wide'), Type.Literal('stuck')]);
export type RuleKind = Static<typeof Kind>;
const StuckStatus = Type.Union([Type.Literal('stuck'), Type.Literal('asked_for_help')]);
export type StuckStatus = Static<typeof StuckStatus>;

const Count = (description: string) => Type.Integer({ minimum: 1, maximum: 100_000, description });

/**
 * What an instructor sends to create a rule. `match`: any event matching `filters` (the
 * query API's, e.g. `{"eventType":"error","data.statusCode":"gte:500"}`); `class_wide`:
 * at least `minEvents` such events from at least `minStudents` students within
 * `windowMinutes`; `stuck`: a student whose class-overview status becomes one of `statuses`.
 */
export const RuleInput = Type.Object(
  {
    name: PlainText(1, 100, 'Shown in the alert, e.g. "Twilio deploys failing".'),
    kind: Kind,
    filters: Type.Optional(StreamFilters),
    minEvents: Type.Optional(Count('class_wide: at least this many matching events (N).')),
    minStudents: Type.Optional(Count('class_wide: from at least this many distinct students (M).')),
    windowMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 1440, description: 'class_wide: within this many minutes (W).' })),
    statuses: Type.Optional(
      Type.Array(StuckStatus, {
        minItems: 1,
        uniqueItems: true,
        description: 'stuck: the statuses that alert (default both).',
      }),
    ),
    cooldownMinutes: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 1440, description: 'After an alert, no other for the same rule (and student, for match and stuck) this long. Default 10.' }),
    ),
    webhookUrl: Type.Optional(Nullable(Type.String({ maxLength: 2048, description: 'An http(s) URL to POST each alert to (JSON with a Slack-compatible `text`).' }))),
    enabled: Type.Optional(Type.Boolean({ description: 'Default true.' })),
  },
  { additionalProperties: false },
);
export type RuleInput = Static<typeof RuleInput>;

/** A change to a rule: any of its fields but its kind. */
export const RuleChange = Type.Partial(Type.Omit(RuleInput, ['kind']), { additionalProperties: false, minProperties: 1 });
export type RuleChange = Static<typeof RuleChange>;

export const AlertRule = Type.Object({
  ruleId: Type.Integer(),
  name: Type.String(),
  kind: Kind,
  filters: Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())])),
  minEvents: Nullable(Type.Integer()),
  minStudents: Nullable(Type.Integer()),
  windowMinutes: Nullable(Type.Integer()),
  statuses: Nullable(Type.Array(StuckStatus)),
  cooldownMinutes: Type.Integer(),
  webhookUrl: Nullable(Type.String()),
  enabled: Type.Boolean(),
  createdAt: Instant,
  updatedAt: Instant,
});
export type AlertRule = Static<typeof AlertRule>;

export const AlertStudent = Type.Object({
  sessionToken: Type.String(),
  studentEmail: Nullable(Type.String()),
  studentName: Nullable(Type.String()),
});
export type AlertStudent = Static<typeof AlertStudent>;

export const Alert = Type.Object({
  alertId: Type.Integer(),
  ruleId: Nullable(Type.Integer({ description: 'Null once the rule is deleted.' })),
  ruleName: Type.String(),
  kind: Kind,
  summary: Type.String({ examples: ['Grace Hopper is stuck on step 2 · Provision Services: 25 min on this step; the class took 5 min (median)'] }),
  students: Type.Array(AlertStudent, { description: 'Who it is about (up to 20; class_wide: the students who hit it).' }),
  step: Nullable(Type.String()),
  stepName: Nullable(Type.String()),
  event: Type.Union([StoredEventSchema, Type.Null()], { description: 'The latest matching event.' }),
  createdAt: Instant,
  acknowledgedAt: Nullable(Instant),
});
export type Alert = Static<typeof Alert>;


export const Delivery = Type.Object({
  deliveryId: Type.Integer(),
  alertId: Type.Integer(),
  ruleId: Nullable(Type.Integer()),
  url: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')]),
  attempts: Type.Integer(),
  lastStatus: Nullable(Type.Integer({ description: 'The receiver’s last HTTP status.' })),
  lastError: Nullable(Type.String()),
  nextAttemptAt: Nullable(Instant),
  deliveredAt: Nullable(Instant),
  createdAt: Instant,
});
export type Delivery = Static<typeof Delivery>;

export const RuleResponse = Type.Object({ success: Type.Literal(true), rule: AlertRule });
export const ChangedRuleResponse = Type.Object({
  success: Type.Literal(true),
  rule: AlertRule,
  webhookSecret: Nullable(Type.String({ description: 'Only when this change gave the rule its first webhook: its secret, shown this once.' })),
});
export const CreatedRuleResponse = Type.Object({
  success: Type.Literal(true),
  rule: AlertRule,
  webhookSecret: Nullable(Type.String({ description: 'Signs this rule’s webhooks (HMAC-SHA256); shown this once.' })),
});
export const DeletedResponse = Type.Object({ success: Type.Literal(true) });
export const RulesResponse = Type.Object({ success: Type.Literal(true), rules: Type.Array(AlertRule) });
export const AlertResponse = Type.Object({ success: Type.Literal(true), alert: Alert });
export const AlertsResponse = Type.Object({ success: Type.Literal(true), alerts: Type.Array(Alert) });
export const DeliveriesResponse = Type.Object({ success: Type.Literal(true), deliveries: Type.Array(Delivery) });
export type AlertsResponse = Static<typeof AlertsResponse>;
export type AlertResponse = Static<typeof AlertResponse>;
export type ChangedRuleResponse = Static<typeof ChangedRuleResponse>;
export type DeliveriesResponse = Static<typeof DeliveriesResponse>;
export type RulesResponse = Static<typeof RulesResponse>;
export type CreatedRuleResponse = Static<typeof CreatedRuleResponse>;

export const RuleParams = Type.Object({ ruleId: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) });
export const AlertParams = Type.Object({ alertId: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) });
export const AlertsQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    unacknowledged: Type.Optional(Type.Boolean({ description: 'Only those not yet acknowledged.' })),
  },
  { additionalProperties: false },
);
export const AlertStreamQuery = Type.Object(
  { cursor: Type.Optional(Type.String({ pattern: '^(0|[1-9][0-9]{0,14})$', description: 'An alert id: resume after it (see Last-Event-ID).' })) },
  { additionalProperties: false },
);
export const DeliveriesQuery = Type.Object(
  {
    ruleId: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
    alertId: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  },
  { additionalProperties: false },
);
