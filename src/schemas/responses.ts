import { Type, type Static } from 'typebox';

export const ErrorResponse = Type.Object({
  success: Type.Literal(false),
  error: Type.Object({
    code: Type.String({ description: 'Stable, e.g. invalid_request, unauthorized, payload_too_large, unavailable.' }),
    message: Type.String({ description: 'What is wrong, naming the field: "body/eventType must be string".' }),
  }),
});
export type ErrorResponse = Static<typeof ErrorResponse>;

export const IngestResponse = Type.Object({
  success: Type.Literal(true),
  message: Type.String({ examples: ['Event logged successfully'] }),
  count: Type.Integer({ description: 'Events accepted (those already stored under the same eventId included).' }),
});

export const StoredEventSchema = Type.Object({
  event_id: Type.Integer(),
  session_token: Type.String(),
  event_type: Type.String(),
  event_data: Type.Unknown({ description: 'The event’s JSON object, as sent.' }),
  created_at: Type.String({ format: 'date-time' }),
  student_email: Type.Union([Type.String(), Type.Null()]),
  student_name: Type.Union([Type.String(), Type.Null()]),
  seq: Type.Union([Type.Integer(), Type.Null()], { description: 'The client’s sequence number in its session (the SDK sends one).' }),
});

/** The spec's example answer, with the fields this service adds. */
const SPEC_EVENTS_EXAMPLE = {
  success: true,
  count: 1,
  events: [
    {
      event_id: 123,
      session_token: 'ws_1234567890',
      event_type: 'error',
      event_data: { errorType: 'twilio_function_deploy_failed', errorMessage: 'Twilio account not authorized for Functions', statusCode: 403 },
      created_at: '2025-10-27T15:30:45.123Z',
      student_email: 'student@example.com',
      student_name: 'John Doe',
      seq: 17,
    },
  ],
  hasMore: false,
  nextCursor: 'ZGVzYzoxMjM',
};

export const EventsResponse = Type.Object(
  {
    success: Type.Literal(true),
    count: Type.Integer(),
    events: Type.Array(StoredEventSchema),
    hasMore: Type.Boolean({ description: 'More events matched than this page holds: ask again with nextCursor.' }),
    nextCursor: Type.Union([Type.String(), Type.Null()], {
      description:
        'Pass as `cursor` to read on from this page. With order=asc it is also where to poll for events that arrive later.',
    }),
  },
  { examples: [SPEC_EVENTS_EXAMPLE] },
);

export const HealthResponse = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  message: Type.Optional(Type.String()),
});
