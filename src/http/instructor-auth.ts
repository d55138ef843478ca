import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { UnauthorizedError } from '../errors.js';

/** The dashboard's session cookie: HttpOnly, SameSite=Strict, signed, never the token itself. */
export const SESSION_COOKIE = 'session_log_instructor';
/** A signed-in dashboard stays signed in for a working day. */
const SESSION_SECONDS = 12 * 3600;

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Who may read: a request bearing the instructor token (Authorization: Bearer), or the
 * dashboard's signed session cookie. Tokens are hashed before the comparison, so it
 * takes the same time whatever their length or content.
 *
 * @example
 * const auth = instructorAuth(token);
 * app.get('/api/x', { preHandler: auth.require }, handler);
 */
export function instructorAuth(adminToken: string) {
  const expected = digest(adminToken);
  const isToken = (presented: string) => timingSafeEqual(digest(presented), expected);
  const hasSession = (request: FastifyRequest) => {
    const cookie = request.cookies[SESSION_COOKIE];
    if (cookie === undefined) return false;
    const { valid, value } = request.unsignCookie(cookie);
    return valid && Number(value) > Date.now();
  };
  return {
    isToken,
    /** A preHandler that refuses anyone else with a 401. */
    require: async (request: FastifyRequest): Promise<void> => {
      const presented = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
      if (presented !== undefined ? !isToken(presented) : !hasSession(request)) throw new UnauthorizedError();
    },
    startSession(request: FastifyRequest, reply: FastifyReply): void {
      reply.setCookie(SESSION_COOKIE, String(Date.now() + SESSION_SECONDS * 1000), {
        signed: true,
        httpOnly: true,
        sameSite: 'strict',
        secure: request.protocol === 'https',
        path: '/',
        maxAge: SESSION_SECONDS,
      });
    },
    endSession(reply: FastifyReply): void {
      reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict' });
    },
  };
}

export type InstructorAuth = ReturnType<typeof instructorAuth>;

/** The key that signs session cookies: derived from the token, so it changes with it. */
export const cookieSecret = (adminToken: string) => createHash('sha256').update(`session-log cookie\0${adminToken}`).digest('hex');
