import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { UnauthorizedError } from '../errors.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * A preHandler that lets through requests bearing the instructor token. Both sides are
 * hashed first so the comparison takes the same time whatever the length or content.
 *
 * @example app.get('/api/x', { preHandler: requireInstructor(token) }, handler)
 */
export function requireInstructor(adminToken: string) {
  const expected = digest(adminToken);
  return async (request: FastifyRequest): Promise<void> => {
    const presented = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (presented === undefined || !timingSafeEqual(digest(presented), expected)) {
      throw new UnauthorizedError();
    }
  };
}
