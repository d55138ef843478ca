import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, onRequestAsyncHookHandler } from 'fastify';
import { toEventFilter } from '../query/event-query.js';
import { StreamQueryString } from '../schemas/event-query.js';
import { ErrorResponse } from '../schemas/responses.js';
import type { LiveHub } from './live-hub.js';
import { resumePosition } from './resume-position.js';
import { eventJson, type StreamMessage } from './stream-message.js';
import type { StreamSink } from './subscriber.js';

export interface SseRouteOptions {
  hub: LiveHub;
  requireInstructor: onRequestAsyncHookHandler;
}

export const STREAM_PATH = '/api/session-log/stream';

/**
 * GET /api/session-log/stream: the live tail as Server-Sent Events, with the query API's
 * filters. Every message carries its cursor as the SSE id, so a browser's EventSource
 * resumes by itself (Last-Event-ID) with nothing missed and nothing twice.
 */
export const sseRoute: FastifyPluginAsyncTypebox<SseRouteOptions> = async (app, { hub, requireInstructor }) => {
  app.get(
    STREAM_PATH,
    {
      onRequest: requireInstructor,
      // Always a stream, whatever the Accept header says; errors before it opens are JSON.
      sse: { kind: 'manual', serializer: (data: unknown) => String(data) },
      schema: {
        summary: 'Live tail of session logs (Server-Sent Events)',
        description:
          'The filters of GET /api/session-log. Events: `ready` (data: {cursor}), `event` (data: one event; id: its cursor), ' +
          '`end` (data: {code, message}; the stream ends: too slow, database away). Resume with Last-Event-ID or `cursor` (an asc cursor).',
        tags: ['live'],
        security: [{ instructorToken: [] }],
        querystring: StreamQueryString,
        response: { 400: ErrorResponse, 401: ErrorResponse, 503: ErrorResponse },
      },
    },
    async (request, reply) => {
      // Everything that may refuse the request does so before the stream opens.
      const filter = toEventFilter(request.query);
      const after = resumePosition(request.headers['last-event-id'] as string | undefined, request.query.cursor);
      const release = hub.admit();
      reply.sse.keepAlive();
      // Committed as a stream now, before the handler returns (else Fastify answers it empty).
      reply.sse.sendHeaders();
      const subscriber = hub.subscribe(filter, after, sseSink(reply));
      reply.sse.onClose(() => {
        subscriber.close();
        release();
      });
    },
  );
};

function sseSink(reply: FastifyReply): StreamSink {
  return {
    write: (message) => reply.sse.send(toSse(message)),
    end: () => reply.sse.close(),
    destroy: () => reply.raw.destroy(),
  };
}

/** `error` would collide with EventSource's own connection `error` events: an ending stream says `end`. */
function toSse(message: StreamMessage) {
  switch (message.type) {
    case 'ready':
      return { id: message.cursor, event: 'ready', data: JSON.stringify({ cursor: message.cursor }) };
    case 'event':
      return { id: message.cursor, event: 'event', data: eventJson(message.event) };
    case 'error':
      return { event: 'end', data: JSON.stringify(message.error) };
  }
}
