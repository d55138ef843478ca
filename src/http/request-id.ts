import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** What a proxy's request id may look like (nginx's $request_id is 32 hex digits). */
const GIVEN_ID = /^[\w.:-]{1,64}$/;

/**
 * Fastify's genReqId: behind a trusted proxy, the id it gave the request (X-Request-Id),
 * so that its access log and ours name the same request; otherwise one of our own. A
 * client reaching us directly could name its requests after someone else's.
 */
export function requestIdGenerator(trustProxy: false | string): (request: IncomingMessage) => string {
  if (trustProxy === false) return () => randomUUID();
  return (request) => {
    const given = request.headers['x-request-id'];
    return typeof given === 'string' && GIVEN_ID.test(given) ? given : randomUUID();
  };
}
