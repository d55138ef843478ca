import { Type, type Static } from 'typebox';
import { EVENT_DATA_LIMITS } from './json-guard.js';
import { ERROR_HINT, EventType, PlainText, SessionToken, StudentEmail } from './text.js';

/** Ajv keyword (registered by the validator compiler) that applies JsonLimits. */
export const JSON_LIMITS_KEYWORD = 'x-json-limits';

export const MAX_BATCH_EVENTS = 500;

export const EventInput = Type.Object(
  {
    sessionToken: SessionToken,
    studentEmail: Type.Optional(Type.Union([StudentEmail, Type.Null()])),
    studentName: Type.Optional(Type.Union([PlainText(1, 200, 'Shown to instructors beside the email.'), Type.Null()])),
    eventType: EventType,
    eventData: Type.Record(Type.String(), Type.Unknown(), {
      description: 'Free-form JSON object, at most 64 KB and 32 levels deep.',
      [JSON_LIMITS_KEYWORD]: EVENT_DATA_LIMITS,
    }),
    eventId: Type.Optional(
      Type.String({
        // Not format: 'uuid', which also admits a "urn:uuid:" prefix. Both spellings here
        // are stored as one (toNewEvents), so an id cannot be stored twice under two.
        pattern: '^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-fA-F]{32})$',
        description: 'Client-chosen UUID, with or without its dashes: a retry with the same id is stored once.',
        [ERROR_HINT]: 'must be a UUID such as 0190b6a4-3c1e-7d3a-9f2b-1a2b3c4d5e6f',
      }),
    ),
    seq: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 2 ** 31 - 1,
        description: 'Client sequence number within the session (0, 1, 2, …): a number that never arrives shows as a gap.',
      }),
    ),
  },
  { additionalProperties: false },
);
export type EventInput = Static<typeof EventInput>;

export const BatchInput = Type.Object(
  { events: Type.Array(EventInput, { minItems: 1, maxItems: MAX_BATCH_EVENTS }) },
  { additionalProperties: false },
);
export type BatchInput = Static<typeof BatchInput>;

/** One event, or `{events: [...]}`; the `events` key decides which, so errors name the right fields. */
export const IngestBody = Type.Unsafe<EventInput | BatchInput>({
  if: { type: 'object', required: ['events'] },
  then: BatchInput,
  else: EventInput,
  examples: [
    {
      sessionToken: 'ws_1234567890',
      studentEmail: 'student@example.com',
      eventType: 'navigation',
      eventData: { from: 1, to: 2 },
    },
    {
      events: [
        { sessionToken: 'ws_1234567890', eventType: 'action', eventData: { actionName: 'openai_connected', validated: true, currentStep: 0, stepName: 'Connect Accounts' }, eventId: '0190b6a4-3c1e-7d3a-9f2b-1a2b3c4d5e6f' },
        { sessionToken: 'ws_1234567890', eventType: 'navigation', eventData: { from: 0, to: 1 } },
      ],
    },
  ],
});
export type IngestBody = Static<typeof IngestBody>;
