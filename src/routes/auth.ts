import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { UnauthorizedError } from '../errors.js';
import type { InstructorAuth } from '../http/instructor-auth.js';
import { ErrorResponse } from '../schemas/responses.js';

const SignIn = Type.Object({ token: Type.String({ minLength: 1, maxLength: 1024, description: 'The instructor token.' }) }, { additionalProperties: false });
const SignedIn = Type.Object({ success: Type.Literal(true) });

/**
 * The dashboard's sign-in: the instructor token in a POST body (never a URL) buys an
 * HttpOnly, SameSite=Strict session cookie, after which same-origin reads need no header.
 */
export const authRoutes: FastifyPluginAsyncTypebox<{ auth: InstructorAuth }> = async (app, { auth }) => {
  app.post(
    '/api/auth/session',
    { schema: { summary: 'Sign in with the instructor token', tags: ['auth'], body: SignIn, response: { 200: SignedIn, 400: ErrorResponse, 401: ErrorResponse } } },
    async (request, reply) => {
      if (!auth.isToken(request.body.token)) throw new UnauthorizedError('wrong instructor token');
      await auth.startSession(request, reply);
      return { success: true as const };
    },
  );
  app.get(
    '/api/auth/session',
    { onRequest: auth.require, schema: { summary: 'Whether this browser is signed in', tags: ['auth'], response: { 200: SignedIn, 401: ErrorResponse } } },
    async () => ({ success: true as const }),
  );
  app.delete(
    '/api/auth/session',
    { schema: { summary: 'Sign out: ends the session everywhere, not only in this browser', tags: ['auth'], response: { 200: SignedIn } } },
    async (request, reply) => {
      await auth.endSession(request, reply);
      return { success: true as const };
    },
  );
};
