import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../errors.js';
import { ErrorResponse } from '../schemas/responses.js';
import { SessionToken, StudentEmail } from '../schemas/text.js';
import type { EventStore } from '../storage/types.js';
import { erasureAudit } from './erasure-audit.js';
import type { ErasureSubject } from './erasure-types.js';

export interface ErasureRouteOptions {
  store: EventStore;
  requireInstructor: onRequestAsyncHookHandler;
  /** Which instructor credential made the request, for the audit. */
  credentialOf: (request: FastifyRequest) => string;
}

const Erased = Type.Object({
  success: Type.Literal(true),
  deleted: Type.Object({
    events: Type.Integer(),
    sessions: Type.Integer({ description: 'Session links to the student.' }),
    students: Type.Integer(),
    stepStays: Type.Integer(),
    alerts: Type.Integer({ description: 'Alerts that named them.' }),
  }),
});
const schema = {
  tags: ['erasure'],
  security: [{ instructorToken: [] }],
  response: { 200: Erased, 400: ErrorResponse, 401: ErrorResponse, 404: ErrorResponse, 503: ErrorResponse },
};
const AFTER =
  'In one transaction, with what was derived from them (session activity, step stays, error groups, alerts that name them). ' +
  'An audit record keeps the counts, the time, the credential and a salted hash of the email or token, never the value. ' +
  'Events that arrive for the session later are stored as new.';

/** GDPR erasure: a student (every session of theirs) or one session, on request. */
export const erasureRoutes: FastifyPluginAsyncTypebox<ErasureRouteOptions> = async (app, { store, requireInstructor, credentialOf }) => {
  const erase = async (request: FastifyRequest, subject: ErasureSubject, value: string) => {
    const deleted = await store.erase(subject, erasureAudit(value, credentialOf(request)));
    if (deleted === null) throw new AppError('not_found', 404, `no ${subject.kind} with that ${subject.kind === 'student' ? 'email' : 'token'} is stored`);
    return { success: true as const, deleted };
  };

  app.delete(
    '/api/students',
    {
      onRequest: requireInstructor,
      schema: { ...schema, summary: 'Erase a student: every event and session of theirs', description: AFTER, querystring: Type.Object({ email: StudentEmail }, { additionalProperties: false }) },
    },
    async (request) => {
      const email = request.query.email.toLowerCase();
      return erase(request, { kind: 'student', email }, email);
    },
  );

  app.delete(
    '/api/sessions/:sessionToken',
    {
      onRequest: requireInstructor,
      schema: { ...schema, summary: 'Erase one session', description: AFTER, params: Type.Object({ sessionToken: SessionToken }) },
    },
    async (request) => erase(request, { kind: 'session', sessionToken: request.params.sessionToken }, request.params.sessionToken),
  );
};
