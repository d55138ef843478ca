import { Type, type Static } from 'typebox';
import { STATUSES, type SessionStatus } from './status-rules.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const Instant = Type.String({ format: 'date-time' });

const minutes = (description: string) => Type.Number({ minimum: 0, maximum: 1440, description });

/** When a session counts as stuck, erroring or idle (defaults: DEFAULT_RULES). */
export const StatusRules = Type.Object({
  idleMinutes: minutes('No event for this long: idle. Default 5.'),
  errorWindowMinutes: minutes('Errors this recent are counted; any makes a session erroring. Default 10.'),
  stuckFactor: Type.Number({ minimum: 0, maximum: 100, description: 'On a step more than this many times the class median: stuck. Default 3.' }),
  stuckMinMinutes: minutes('Never stuck before this long on a step (quick steps have tiny medians). Default 5.'),
  stuckFallbackMinutes: minutes('Stuck after this long when too few classmates are past the step to compare. Default 20.'),
  minSamples: Type.Integer({ minimum: 1, maximum: 1000, description: 'Classmates past a step needed before its median counts. Default 3.' }),
});
export type StatusRules = Static<typeof StatusRules>;

export const OverviewQuery = Type.Object(
  {
    activeWithin: Type.Optional(
      Type.String({ pattern: '^[1-9][0-9]{0,3}[mhd]$', description: 'Sessions with an event this recent: 90m, 3h (default), 1d.' }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 2000, description: 'At most this many sessions (default 500), most recently active first.' })),
    ...Type.Partial(StatusRules).properties,
  },
  { additionalProperties: false },
);
export type OverviewQuery = Static<typeof OverviewQuery>;

export const SessionSummary = Type.Object({
  sessionToken: Type.String(),
  studentEmail: Nullable(Type.String()),
  studentName: Nullable(Type.String()),
  currentStep: Nullable(Type.String({ description: 'The `to` of the latest navigation, as text.' })),
  stepName: Nullable(Type.String()),
  onStepSince: Instant,
  secondsOnStep: Type.Integer(),
  lastActivity: Instant,
  eventCount: Type.Integer(),
  recentErrors: Type.Integer({ description: 'Errors within errorWindowMinutes.' }),
  lastError: Nullable(Type.Object({ errorType: Nullable(Type.String()), errorMessage: Nullable(Type.String()), at: Instant })),
  helpRequest: Nullable(Type.Object({ message: Nullable(Type.String()), at: Instant }, { description: 'Since the student arrived on this step.' })),
  status: Type.Unsafe<SessionStatus>({ type: 'string', enum: [...STATUSES] }),
  reason: Type.String({ examples: ['14 min on this step; the class took 4 min (median)'] }),
});
export type SessionSummary = Static<typeof SessionSummary>;

export const StepSummary = Type.Object({
  step: Type.String(),
  stepName: Nullable(Type.String()),
  sessions: Type.Integer({ description: 'Active sessions on this step now.' }),
  medianSeconds: Nullable(Type.Number({ description: 'The class’s median time on the step, from the stays on it that began in the window and have ended.' })),
  samples: Type.Integer(),
});
export type StepSummary = Static<typeof StepSummary>;

export const OverviewResponse = Type.Object({
  success: Type.Literal(true),
  generatedAt: Instant,
  rules: StatusRules,
  steps: Type.Array(StepSummary),
  sessions: Type.Array(SessionSummary, { description: 'Who needs help first: asked for help, stuck, erroring, idle, on track; then longest on their step.' }),
  activeSessions: Type.Integer({ description: 'Sessions active in the window: more than the sessions listed when `limit` cut the list (the least recently active are left out).' }),
});
export type OverviewResponse = Static<typeof OverviewResponse>;
