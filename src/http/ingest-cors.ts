import cors, { type FastifyCorsOptions } from '@fastify/cors';
import type { FastifyInstance, FastifyRequest } from 'fastify';

export const INGEST_PATH = '/api/session-log';

/** Browsers may POST events from the allowed origins; nothing else is readable cross-origin. */
export async function registerIngestCors(app: FastifyInstance, origins: '*' | string[]): Promise<void> {
  // Retry-After exposed: the SDK, on the workshop's origin, reads how long a busy service asks it to wait.
  const ingest: FastifyCorsOptions = { origin: origins, methods: ['POST'], maxAge: 86_400, exposedHeaders: ['Retry-After'] };
  const closed: FastifyCorsOptions = { origin: false };
  await app.register(cors, {
    delegator: (request, callback) => callback(null, isIngest(request) ? ingest : closed),
  });
}

function isIngest(request: FastifyRequest): boolean {
  if (request.url.split('?')[0] !== INGEST_PATH) return false;
  const method = request.method === 'OPTIONS' ? request.headers['access-control-request-method'] : request.method;
  return method === 'POST';
}
