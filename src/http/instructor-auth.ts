import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { UnauthorizedError } from '../errors.js';
import type { EventStore } from '../storage/types.js';
import { InstructorToken } from './instructor-token.js';
import type { Limiters } from './rate-limits.js';

/** What guards the token against guessing: a limit on wrong attempts per client address. */
export type CredentialGuard = Limiters['signIn'];
const unguarded: CredentialGuard = { check: async () => {}, failed: async () => {} };

/** The dashboard's session cookie: HttpOnly, SameSite=Strict, signed, never the token itself. */
export const SESSION_COOKIE = 'session_log_instructor';
/** A signed-in dashboard stays signed in for a working day. */
const SESSION_SECONDS = 12 * 3600;

const digest = (value: string) => createHash('sha256').update(value).digest();
/** What the database keeps of a session id: a copy of the database signs nobody in. */
export const sessionDigest = (id: string) => digest(id).toString('hex');

/**
 * Who may read: a request bearing the instructor token (Authorization: Bearer; see
 * InstructorToken), or the dashboard's session cookie. The cookie carries a random session id,
 * signed; the database keeps its sessionDigest, so that signing out ends the session on
 * every instance, and a copied cookie with it.
 *
 * @example
 * const auth = instructorAuth(token, store);
 * app.get('/api/x', { onRequest: auth.require }, handler);
 */
export function instructorAuth(adminToken: string, store: EventStore, guard: CredentialGuard = unguarded) {
  const token = new InstructorToken(adminToken, store);
  /** Whether `presented` is the token; an address past its wrong attempts is refused (429) before the comparison. */
  const checkToken = async (request: FastifyRequest, presented: string): Promise<boolean> => {
    await guard.check(request);
    if (await token.matches(presented)) return true;
    await guard.failed(request);
    return false;
  };
  const bearer = (request: FastifyRequest) => /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
  /** The digest of the request's session id, if its cookie bears our signature. */
  const sessionOf = (request: FastifyRequest): string | null => {
    const cookie = request.cookies[SESSION_COOKIE];
    if (cookie === undefined) return null;
    const { valid, value } = request.unsignCookie(cookie);
    return valid && value !== null ? sessionDigest(value) : null;
  };
  const hasSession = async (request: FastifyRequest) => {
    const session = sessionOf(request);
    return session !== null && (await store.isInstructorSession(session, new Date()));
  };
  return {
    token,
    checkToken,
    /**
     * An onRequest hook that refuses anyone else with a 401, before their query or body is
     * even looked at. What instructors read is neither cached nor sniffed.
     */
    require: async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
      reply.header('cache-control', 'no-store').header('x-content-type-options', 'nosniff');
      const presented = bearer(request);
      const allowed = presented !== undefined ? await checkToken(request, presented) : await hasSession(request);
      if (!allowed) throw new UnauthorizedError();
    },
    /** Which credential a signed-in request bears, for an audit: the token, or which dashboard session (a prefix of its digest). */
    credentialOf: (request: FastifyRequest): string =>
      bearer(request) !== undefined ? 'token' : `session:${(sessionOf(request) ?? 'none').slice(0, 8)}`,
    async startSession(request: FastifyRequest, reply: FastifyReply): Promise<void> {
      // A new session replaces the one this browser held (no id survives a sign-in).
      const previous = sessionOf(request);
      if (previous !== null) await store.endInstructorSession(previous);
      const id = randomBytes(32).toString('base64url');
      await store.startInstructorSession(sessionDigest(id), new Date(Date.now() + SESSION_SECONDS * 1000));
      reply.setCookie(SESSION_COOKIE, id, {
        signed: true,
        httpOnly: true,
        sameSite: 'strict',
        secure: request.protocol === 'https',
        path: '/',
        maxAge: SESSION_SECONDS,
      });
    },
    /** Clears the cookie even when the database cannot end the session (then it throws, a 503). */
    async endSession(request: FastifyRequest, reply: FastifyReply): Promise<void> {
      reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict' });
      const session = sessionOf(request);
      if (session !== null) await store.endInstructorSession(session);
    },
  };
}

export type InstructorAuth = ReturnType<typeof instructorAuth>;

/** The key that signs session cookies: derived from the token, so it changes with it. */
export const cookieSecret = (adminToken: string) => createHash('sha256').update(`session-log cookie\0${adminToken}`).digest('hex');
