import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { INGEST_PATH } from '../http/ingest-cors.js';
import type { ServiceMetrics } from './service-metrics.js';

export interface MetricsAccess {
  /** A token that may read /metrics and nothing else (METRICS_TOKEN); null: instructors only. */
  metricsToken: string | null;
  /** Instructors may read them too. */
  requireInstructor: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
}

/** Why an ingest request was refused, by its status (each status has one cause on this route). */
const REFUSALS: Record<number, string> = {
  400: 'invalid',
  408: 'timeout',
  413: 'too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  503: 'unavailable',
};

/**
 * Times every request by its route pattern (never its URL: no token or email becomes a
 * label), counts ingest refusals, and serves GET /metrics in Prometheus's text format.
 */
export function registerMetrics(app: FastifyInstance, metrics: ServiceMetrics, access: MetricsAccess): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.request(route, request.method, reply.statusCode, reply.elapsedTime / 1000);
    if (route === INGEST_PATH && request.method === 'POST' && reply.statusCode >= 400) {
      metrics.ingestRefused(REFUSALS[reply.statusCode] ?? String(reply.statusCode));
    }
  });
  const metricsDigest = access.metricsToken === null ? null : digest(access.metricsToken);
  app.get(
    '/metrics',
    {
      onRequest: async (request, reply) => {
        const presented = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
        if (metricsDigest !== null && presented !== undefined && timingSafeEqual(digest(presented), metricsDigest)) return;
        await access.requireInstructor(request, reply);
      },
      schema: { hide: true },
    },
    async (_request, reply) => {
      reply.header('content-type', metrics.registry.contentType).header('cache-control', 'no-store');
      return metrics.registry.metrics();
    },
  );
}

const digest = (secret: string) => createHash('sha256').update(secret).digest();
