import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { WebSocket } from 'ws';
import { AppError } from '../errors.js';
import { validationMessage } from '../http/error-handler.js';
import { validatorCompiler } from '../http/validator-compiler.js';
import { toEventFilter } from '../query/event-query.js';
import type { LiveHub } from './live-hub.js';
import { resumePosition } from './resume-position.js';
import { eventJson, type StreamMessage } from './stream-message.js';
import type { StreamSink, Subscriber } from './subscriber.js';
import { ClientMessage } from './websocket-messages.js';

export interface WebSocketRouteOptions {
  hub: LiveHub;
  requireInstructor: onRequestAsyncHookHandler;
}

const WEBSOCKET_PATH = '/api/session-log/ws';
/** A client message is a subscription: a few filters, never large. */
const MAX_MESSAGE_BYTES = 16 * 1024;

/**
 * GET /api/session-log/ws: the live tail over a WebSocket (the spec's "WebSocket-based
 * live log streaming"). The client subscribes with the query API's filters and a resume
 * cursor; the server sends `ready`, `event`, `heartbeat` and `error` messages (JSON).
 */
export const websocketRoute: FastifyPluginAsyncTypebox<WebSocketRouteOptions> = async (app, { hub, requireInstructor }) => {
  const releases = new WeakMap<FastifyRequest, () => void>();
  app.get(
    WEBSOCKET_PATH,
    {
      websocket: true,
      onRequest: requireInstructor,
      // Refused before the upgrade, as JSON: another site's page (its cookies would be
      // this dashboard's), and connections past the cap.
      preHandler: async (request) => {
        // A plain GET never opens a socket, so it must not take (and keep) a connection's place.
        if (request.headers.upgrade?.toLowerCase() !== 'websocket') {
          throw new AppError('upgrade_required', 426, 'this route speaks WebSocket only');
        }
        const origin = request.headers.origin;
        if (origin !== undefined && (!URL.canParse(origin) || new URL(origin).host !== request.headers.host)) {
          throw new AppError('forbidden_origin', 403, 'WebSocket connections are taken from this service\'s own pages only');
        }
        releases.set(request, hub.admit());
      },
      schema: { summary: 'Live tail of session logs (WebSocket)', tags: ['live'], security: [{ instructorToken: [] }], hide: true },
    },
    (socket, request) => {
      const session = new WebSocketSession(socket, hub);
      socket.on('close', () => {
        session.close();
        releases.get(request)?.();
      });
    },
  );
};

const validate = validatorCompiler()({ schema: ClientMessage, httpPart: 'body', method: 'GET', url: WEBSOCKET_PATH });

/** One WebSocket: its subscription, its heartbeats, its messages. */
class WebSocketSession {
  private subscriber: Subscriber | null = null;
  private readonly heartbeat: NodeJS.Timeout;
  private answeredPing = true;

  constructor(
    private readonly socket: WebSocket,
    private readonly hub: LiveHub,
  ) {
    socket.on('message', (data, isBinary) => this.receive(data as Buffer, isBinary));
    socket.on('pong', () => (this.answeredPing = true));
    this.heartbeat = setInterval(() => this.beat(), hub.options.heartbeatMs);
  }

  close(): void {
    clearInterval(this.heartbeat);
    this.subscriber?.close();
    this.subscriber = null;
  }

  private beat(): void {
    // A peer that did not answer the last ping is gone (a laptop closed, a cable pulled).
    if (!this.answeredPing) return void this.socket.terminate();
    this.answeredPing = false;
    this.socket.ping();
    this.send(JSON.stringify({ type: 'heartbeat', at: new Date().toISOString() })).catch(() => undefined);
  }

  private receive(data: Buffer, isBinary: boolean): void {
    try {
      if (isBinary || data.length > MAX_MESSAGE_BYTES) throw new AppError('invalid_request', 400, `messages are JSON text of at most ${MAX_MESSAGE_BYTES} bytes`);
      this.handle(parse(data));
    } catch (error) {
      const { code, message } = error instanceof AppError ? error : { code: 'internal_error', message: 'the message could not be handled' };
      this.send(JSON.stringify({ type: 'error', error: { code, message } })).catch(() => undefined);
    }
  }

  private handle(message: ClientMessage): void {
    // A refused subscribe (a bad filter, a bad cursor) leaves the current one running.
    const next = message.type === 'subscribe' ? { filter: toEventFilter(message.filters ?? {}), after: resumePosition(undefined, message.cursor) } : null;
    this.subscriber?.close();
    this.subscriber = null;
    if (next === null) return void this.send(JSON.stringify({ type: 'unsubscribed' })).catch(() => undefined);
    this.subscriber = this.hub.subscribe(next.filter, next.after, this.sink());
  }

  private sink(): StreamSink {
    return {
      write: async (messages) => {
        await Promise.all(messages.map((message) => this.send(serialize(message))));
      },
      end: () => this.socket.close(1013, 'stream ended'),
      destroy: () => this.socket.terminate(),
    };
  }

  /** Resolves once the message has been handed to the network: the subscriber's backpressure. */
  private send(text: string): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.socket.readyState !== this.socket.OPEN) return reject(new Error('the WebSocket is closed'));
      this.socket.send(text, (error) => (error === undefined || error === null ? resolve() : reject(error)));
    });
  }
}

function parse(data: Buffer): ClientMessage {
  let message: unknown;
  try {
    message = JSON.parse(data.toString('utf8'));
  } catch {
    throw new AppError('invalid_json', 400, 'a message must be JSON');
  }
  if (!validate(message)) {
    throw new AppError('invalid_request', 400, validationMessage(validate.errors ?? [], 'message'));
  }
  return message as ClientMessage;
}

/** Events reuse their JSON, written once for every subscriber. */
function serialize(message: StreamMessage): string {
  if (message.type !== 'event') return JSON.stringify(message);
  return `{"type":"event","cursor":${JSON.stringify(message.cursor)},"event":${eventJson(message.event)}}`;
}
