import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { onRequestAsyncHookHandler } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../errors.js';
import { ErrorResponse } from '../schemas/responses.js';
import { RetentionBusyError, type RetentionJob } from './retention-job.js';

const RunBody = Type.Object(
  { dryRun: Type.Optional(Type.Boolean({ default: false, description: 'Only count what would be removed.' })) },
  { additionalProperties: false },
);
const RunResult = Type.Object({
  success: Type.Literal(true),
  retentionDays: Type.Integer({ description: '0: everything is kept (nothing is removed).' }),
  cutoff: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'Events created before this are removed.' }),
  dryRun: Type.Boolean(),
  events: Type.Integer({ description: 'Events removed (or, dry, that would be).' }),
});

/** POST /api/retention/run: the retention now, rather than at its next scheduled pass. */
export const retentionRoute: FastifyPluginAsyncTypebox<{ job: RetentionJob; requireInstructor: onRequestAsyncHookHandler }> = async (app, { job, requireInstructor }) => {
  app.post(
    '/api/retention/run',
    {
      onRequest: requireInstructor,
      // A POST with no body at all (curl -X POST) asks for the defaults.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        summary: 'Apply the retention now',
        description:
          'Removes events older than RETENTION_DAYS, with what was derived from them, in small batches (the service also does ' +
          'this by itself every hour). Answers once done. 409 while another instance is doing it.',
        tags: ['retention'],
        security: [{ instructorToken: [] }],
        body: RunBody,
        response: { 200: RunResult, 400: ErrorResponse, 401: ErrorResponse, 409: ErrorResponse, 503: ErrorResponse },
      },
    },
    async (request) => {
      try {
        return { success: true as const, ...(await job.runNow(request.body.dryRun ?? false)) };
      } catch (error) {
        if (error instanceof RetentionBusyError) throw new AppError('busy', 409, error.message);
        throw error;
      }
    },
  );
};
