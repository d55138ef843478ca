import { once } from 'node:events';
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

const STREAM_PATH = '/api/session-log/stream';

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
    write: async (messages) => {
      // One write for a batch, formatted here: through the plugin's send, each message
      // cost a write, a promise and a chunk of its own, which halved ingest with 200
      // subscribers (bench, live phase). Its headers, heartbeats and close handling stay.
      if (!reply.sse.isConnected) throw new Error('the stream is closed');
      if (!reply.raw.write(messages.map(toSseText).join(''))) await drainedOrClosed(reply.raw);
    },
    end: () => reply.sse.close(),
    destroy: () => reply.raw.destroy(),
  };
}

/**
 * Waits for the socket to take more, or to go. The listener that did not fire is removed:
 * a stream that waits often would otherwise gather one per wait for as long as it lives.
 */
async function drainedOrClosed(stream: NodeJS.WritableStream): Promise<void> {
  const done = new AbortController();
  const either = (event: string) => once(stream, event, { signal: done.signal }).catch(() => undefined);
  try {
    await Promise.race([either('drain'), either('close')]);
  } finally {
    done.abort();
  }
}

/**
 * One message as Server-Sent Events text. Data is JSON on one line (JSON escapes line
 * breaks) and ids are base64url: nothing in them can break the format. `error` would
 * collide with EventSource's own connection `error` events: an ending stream says `end`.
 */
function toSseText(message: StreamMessage): string {
  switch (message.type) {
    case 'ready':
      return `id: ${message.cursor}\nevent: ready\ndata: ${JSON.stringify({ cursor: message.cursor })}\n\n`;
    case 'event':
      return `id: ${message.cursor}\nevent: event\ndata: ${eventJson(message.event)}\n\n`;
    case 'error':
      return `event: end\ndata: ${JSON.stringify(message.error)}\n\n`;
  }
}
