import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { UnauthorizedError } from '../errors.js';
import type { InstructorAuth } from '../http/instructor-auth.js';
import { ErrorResponse } from '../schemas/responses.js';

const SignIn = Type.Object({ token: Type.String({ minLength: 1, maxLength: 1024, description: 'The instructor token.' }) }, { additionalProperties: false });
const SignedIn = Type.Object({ success: Type.Literal(true) });
const Rotated = Type.Object({
  success: Type.Literal(true),
  token: Type.String({ description: 'The new instructor token, shown this once. Keep it as you kept the old one.' }),
});

/**
 * The dashboard's sign-in: the instructor token in a POST body (never a URL) buys an
 * HttpOnly, SameSite=Strict session cookie, after which same-origin reads need no header.
 */
export const authRoutes: FastifyPluginAsyncTypebox<{ auth: InstructorAuth }> = async (app, { auth }) => {
  app.post(
    '/api/auth/session',
    { schema: { summary: 'Sign in with the instructor token', tags: ['auth'], body: SignIn, response: { 200: SignedIn, 400: ErrorResponse, 401: ErrorResponse, 429: ErrorResponse } } },
    async (request, reply) => {
      if (!(await auth.checkToken(request, request.body.token))) throw new UnauthorizedError('wrong instructor token');
      await auth.startSession(request, reply);
      return { success: true as const };
    },
  );
  app.get(
    '/api/auth/session',
    { onRequest: auth.require, schema: { summary: 'Whether this browser is signed in', tags: ['auth'], response: { 200: SignedIn, 401: ErrorResponse } } },
    async () => ({ success: true as const }),
  );
  app.post(
    '/api/auth/token',
    {
      onRequest: auth.require,
      schema: {
        summary: 'Rotate the instructor token',
        description:
          'A new token takes over at once, on every instance sharing the database; the old one stops working and every dashboard ' +
          'sign-in ends. A restart keeps the rotated token, until SESSION_LOG_ADMIN_TOKEN (or the token file) is changed: a new ' +
          'configured token takes over again.',
        tags: ['auth'],
        security: [{ instructorToken: [] }],
        response: { 200: Rotated, 401: ErrorResponse, 503: ErrorResponse },
      },
    },
    async () => ({ success: true as const, token: await auth.token.rotate() }),
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
