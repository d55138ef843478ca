import { Type, type Static, type TSchema } from 'typebox';
import { QUERY_OPTIONS } from '../schemas/event-query.js';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Instant = (description: string) => Type.Optional(Type.String({ format: 'date-time', description }));

const WINDOW = {
  since: Instant('Start of the window (ISO 8601, inclusive); 24 hours before `until` by default.'),
  until: Instant('End of the window (ISO 8601, exclusive); now by default.'),
};

/** A window, optionally one workshop run (`data.<field>=[op:]value`, as the query API takes them). */
export const WindowQuery = Type.Object(WINDOW, QUERY_OPTIONS);
export type WindowQuery = Static<typeof WindowQuery> & Record<string, unknown>;

export const ProblemsQuery = Type.Object(
  { ...WINDOW, limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'Most groups listed, the most frequent first.' })) },
  QUERY_OPTIONS,
);
export type ProblemsQuery = Static<typeof ProblemsQuery> & Record<string, unknown>;

const Window = Type.Object({ since: Type.String({ format: 'date-time' }), until: Type.String({ format: 'date-time' }) });

const Step = { step: Nullable(Type.String()), stepName: Nullable(Type.String()) };

const ProblemGroupFields = {
  count: Type.Integer(),
  students: Type.Integer({ description: 'Distinct sessions.' }),
  steps: Type.Array(Type.Object({ ...Step, count: Type.Integer() }), { description: 'Where it happened, the most first.' }),
  firstSeen: Type.String({ format: 'date-time' }),
  lastSeen: Type.String({ format: 'date-time' }),
  trend: Type.Array(Type.Integer(), { description: 'Counts per bucket of `window.bucketSeconds`, oldest first.' }),
  affected: Type.Array(
    Type.Object({
      sessionToken: Type.String(),
      studentEmail: Nullable(Type.String()),
      studentName: Nullable(Type.String()),
      count: Type.Integer(),
      lastSeen: Type.String({ format: 'date-time' }),
    }),
    { description: 'Up to 20 students, the most recently hit first.' },
  ),
};

const ProblemWindow = Type.Object({ ...Window.properties, bucketSeconds: Type.Integer() });

export const ErrorPatternsResponse = Type.Object({
  success: Type.Literal(true),
  window: ProblemWindow,
  totalErrors: Type.Integer(),
  patterns: Type.Array(
    Type.Object({
      errorType: Nullable(Type.String()),
      pattern: Type.String({ description: 'The message with ids, keys, numbers, emails and URLs’ variable parts as placeholders.' }),
      example: Nullable(Type.String({ description: 'The latest message as sent.' })),
      ...ProblemGroupFields,
    }),
  ),
});

export const ApiFailuresResponse = Type.Object({
  success: Type.Literal(true),
  window: ProblemWindow,
  totalFailures: Type.Integer(),
  groups: Type.Array(
    Type.Object({
      method: Nullable(Type.String()),
      endpoint: Type.String({ description: 'The path with ids as <id>, without its query.' }),
      status: Nullable(Type.Integer()),
      example: Nullable(Type.String({ description: 'The latest endpoint as sent.' })),
      ...ProblemGroupFields,
    }),
  ),
});

export const FunnelResponse = Type.Object({
  success: Type.Literal(true),
  window: Window,
  students: Type.Integer({ description: 'Sessions that were on a step in the window.' }),
  steps: Type.Array(
    Type.Object({
      ...Step,
      reached: Type.Integer(),
      medianSeconds: Nullable(Type.Number({ description: 'Per student, over the stays that ended.' })),
      p90Seconds: Nullable(Type.Number()),
      leftHere: Type.Integer({ description: 'Their latest step, and no event for idleMinutes.' }),
      wentBack: Type.Integer({ description: 'Went from this step to an earlier one.' }),
      onStepNow: Type.Integer(),
    }),
  ),
});
