import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';

/** Collects route schemas into an OpenAPI document; register before the routes. */
export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'session-log',
        version,
        description: 'Session logging for live online workshops. Writes are public; reads need the instructor token.',
      },
      components: { securitySchemes: { instructorToken: { type: 'http', scheme: 'bearer' } } },
    },
  });
  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());
}
