import websocket from '@fastify/websocket';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { onRequestAsyncHookHandler } from 'fastify';
import type { LiveHub } from './live-hub.js';
import { sseRoute } from './sse-route.js';
import { websocketRoute } from './websocket-route.js';

export interface LiveRoutesOptions {
  hub: LiveHub;
  requireInstructor: onRequestAsyncHookHandler;
}

/** The live tail, as Server-Sent Events (the app registers @fastify/sse) and over a WebSocket. */
export const liveRoutes: FastifyPluginAsyncTypebox<LiveRoutesOptions> = async (app, options) => {
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  await app.register(sseRoute, options);
  await app.register(websocketRoute, options);
};
