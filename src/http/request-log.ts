import type { FastifyInstance } from 'fastify';

/**
 * At LOG_LEVEL=debug, a line per request: its id, route pattern, path without the query
 * (which carries students' emails), status and duration. Off at info and above, where the
 * proxy's access log names the requests and ours only those that failed.
 */
export function registerRequestLog(app: FastifyInstance): void {
  if (app.log.level !== 'debug' && app.log.level !== 'trace') return;
  app.addHook('onResponse', async (request, reply) => {
    request.log.debug(
      {
        reqId: request.id,
        method: request.method,
        route: request.routeOptions.url ?? null,
        path: request.url.split('?')[0],
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request',
    );
  });
}
