import { Type, type Static } from 'typebox';

export const ErrorResponse = Type.Object({
  success: Type.Literal(false),
  error: Type.Object({
    code: Type.String({ examples: ['invalid_request'] }),
    message: Type.String({ examples: ['body/eventType must NOT have more than 50 characters'] }),
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

export const EventsResponse = Type.Object({
  success: Type.Literal(true),
  count: Type.Integer(),
  events: Type.Array(StoredEventSchema),
  hasMore: Type.Boolean({ description: 'More events matched than this page holds: ask again with nextCursor.' }),
  nextCursor: Type.Union([Type.String(), Type.Null()], {
    description:
      'Pass as `cursor` to read on from this page. With order=asc it is also where to poll for events that arrive later.',
  }),
});

export const HealthResponse = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  message: Type.Optional(Type.String()),
});
