import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HealthResponse } from '../schemas/responses.js';
import type { EventStore } from '../storage/types.js';

export interface HealthRouteOptions {
  store: EventStore;
  isReady: () => boolean;
  /** True while the database refuses the events it is given (see GroupCommitter.refusing). */
  isRefusingWrites: () => boolean;
}

/** 200 once events can be taken (schema migrated, database answering and storing), 503 otherwise. */
export const healthRoutes: FastifyPluginAsyncTypebox<HealthRouteOptions> = async (app, { store, isReady, isRefusingWrites }) => {
  app.get(
    '/healthz',
    { schema: { summary: 'Readiness', tags: ['operations'], response: { 200: HealthResponse, 503: HealthResponse } } },
    async (_request, reply) => {
      if (!isReady()) return reply.code(503).send({ status: 'unavailable' as const, message: 'migrating the database' });
      if (isRefusingWrites()) return reply.code(503).send({ status: 'unavailable' as const, message: 'the database refuses new events' });
      try {
        await store.ping();
        return { status: 'ok' as const };
      } catch {
        return reply.code(503).send({ status: 'unavailable' as const, message: 'database unreachable' });
      }
    },
  );
};
