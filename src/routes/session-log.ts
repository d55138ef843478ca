import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { onRequestAsyncHookHandler } from 'fastify';
import { INGEST_PATH } from '../http/ingest-cors.js';
import { acceptJson } from '../http/json-body.js';
import type { Limiters } from '../http/rate-limits.js';
import type { GroupCommitter } from '../ingest/group-commit.js';
import { toNewEvents } from '../ingest/to-new-events.js';
import { encodeCursor } from '../query/cursor.js';
import { toEventQuery } from '../query/event-query.js';
import { IngestBody } from '../schemas/event-input.js';
import { EventQueryString } from '../schemas/event-query.js';
import { ErrorResponse, EventsResponse, IngestResponse } from '../schemas/responses.js';
import type { EventStore } from '../storage/types.js';

export interface SessionLogRouteOptions {
  store: EventStore;
  committer: GroupCommitter;
  requireInstructor: onRequestAsyncHookHandler;
  limits: Pick<Limiters, 'ingestByAddress' | 'ingestBySession'>;
}

const ingestErrors = { 400: ErrorResponse, 413: ErrorResponse, 415: ErrorResponse, 429: ErrorResponse, 503: ErrorResponse };
const readErrors = { 400: ErrorResponse, 401: ErrorResponse, 503: ErrorResponse };

const FILTER_HELP =
  'Filter on event_data fields with `data.<field>=[op:]value`, e.g. `data.status=gte:400` or ' +
  '`data.errorType=openai_validation_failed`; nested fields as `data.error.code`; repeat a parameter (up to 4 times) for a range ' +
  '(`data.status=gte:400&data.status=lt:500`). Operators: eq (default), ne, gt, gte, lt, lte.';

/** The spec's endpoint: POST logs events (public), GET reads them (instructors only). */
export const sessionLogRoutes: FastifyPluginAsyncTypebox<SessionLogRouteOptions> = async (app, options) => {
  // What navigator.sendBeacon sends, and what needs no CORS preflight: the same JSON,
  // labelled text/plain. Only in this plugin, and only its POST has a body.
  acceptJson(app, 'text/plain');

  app.post(
    INGEST_PATH,
    {
      onRequest: options.limits.ingestByAddress,
      preHandler: options.limits.ingestBySession,
      schema: {
        summary: 'Log a session event, or a batch of them',
        description:
          'Answered only once the events are durably stored. A batch is stored whole or not at all. ' +
          'The body may be labelled text/plain (as navigator.sendBeacon sends it); it is parsed as JSON all the same. ' +
          'Too many requests from one address or for one session are refused with 429 and Retry-After.',
        tags: ['events'],
        consumes: ['application/json', 'text/plain'],
        body: IngestBody,
        response: { 200: IngestResponse, ...ingestErrors },
      },
    },
    async (request) => {
      const events = toNewEvents(request.body);
      // The body's length as read, chunked or not, stands for its size in the queue's memory bound.
      await options.committer.submit(events, request.bodyLength);
      return { success: true as const, message: 'Event logged successfully', count: events.length };
    },
  );

  app.get(
    INGEST_PATH,
    {
      onRequest: options.requireInstructor,
      schema: {
        summary: 'Retrieve session logs',
        description: `Any combination of filters; newest first unless order=asc. ${FILTER_HELP}`,
        tags: ['events'],
        security: [{ instructorToken: [] }],
        querystring: EventQueryString,
        response: { 200: EventsResponse, ...readErrors },
      },
    },
    async (request) => {
      const query = toEventQuery(request.query);
      const events = await options.store.queryEvents({ ...query, limit: query.limit + 1 });
      const page = events.slice(0, query.limit);
      const last = page.at(-1);
      const nextCursor = last === undefined ? (request.query.cursor ?? null) : encodeCursor(query.order, last.event_id);
      return { success: true as const, count: page.length, events: page, hasMore: events.length > query.limit, nextCursor };
    },
  );
};
