import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { onRequestAsyncHookHandler } from 'fastify';
import { ErrorResponse } from '../schemas/responses.js';
import type { EventStore } from '../storage/types.js';
import { classOverview } from './class-overview.js';
import { OverviewQuery, OverviewResponse } from './overview-schema.js';
import type { StatusRules } from './status-rules.js';

export interface SessionsRouteOptions {
  store: EventStore;
  requireInstructor: onRequestAsyncHookHandler;
  /** The rules in force unless a request overrides them (SESSION_LOG_STATUS_RULES over the defaults). */
  rules: StatusRules;
}

const DEFAULT_ACTIVE_WITHIN = '3h';
const DEFAULT_LIMIT = 500;
const UNIT_SECONDS = { m: 60, h: 3600, d: 86_400 } as const;

/** The class overview: who is active, where each one is, who needs help first. */
export const sessionsRoutes: FastifyPluginAsyncTypebox<SessionsRouteOptions> = async (app, { store, requireInstructor, rules: configured }) => {
  app.get(
    '/api/sessions',
    {
      onRequest: requireInstructor,
      schema: {
        summary: 'Class overview: active sessions, their step and status',
        description:
          'Status rules (each overridable here): asked for help (a help_request since arriving on the step); stuck ' +
          '(on the step longer than stuckFactor × the class median and stuckMinMinutes, or stuckFallbackMinutes when ' +
          'fewer than minSamples classmates are past it); erroring (an error within errorWindowMinutes); idle (no event ' +
          'for idleMinutes); else on track.',
        tags: ['sessions'],
        security: [{ instructorToken: [] }],
        querystring: OverviewQuery,
        response: { 200: OverviewResponse, 400: ErrorResponse, 401: ErrorResponse, 503: ErrorResponse },
      },
    },
    async (request) => {
      const { activeWithin = DEFAULT_ACTIVE_WITHIN, limit = DEFAULT_LIMIT, ...overrides } = request.query;
      const rules: StatusRules = { ...configured, ...overrides };
      const unit = activeWithin.slice(-1) as keyof typeof UNIT_SECONDS;
      const overview = await classOverview(store, { activeWithinSeconds: Number.parseInt(activeWithin, 10) * UNIT_SECONDS[unit], limit, rules });
      return { success: true as const, ...overview };
    },
  );
};
