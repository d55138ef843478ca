import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { onRequestAsyncHookHandler } from 'fastify';
import { ErrorResponse } from '../schemas/responses.js';
import type { StatusRules } from '../sessions/status-rules.js';
import type { EventStore } from '../storage/types.js';
import { ApiFailuresResponse, ErrorPatternsResponse, FunnelResponse, ProblemsQuery, WindowQuery } from './analytics-schemas.js';
import type { ProblemReport } from './analytics-types.js';
import { toAnalyticsWindow, windowJson } from './analytics-window.js';

export interface AnalyticsRouteOptions {
  store: EventStore;
  requireInstructor: onRequestAsyncHookHandler;
  rules: StatusRules;
}

const TREND_BUCKETS = 24;
const tags = ['analytics'];
const security = [{ instructorToken: [] }];
const errors = { 400: ErrorResponse, 401: ErrorResponse, 503: ErrorResponse };
const RUN_HELP =
  'Over a window (the last 24 hours by default), optionally one workshop run: `data.<field>=[op:]value` keeps the sessions ' +
  'that logged an event matching it in the window (e.g. `data.workshopId=spring-26`). A student is a session.';

/** The class-wide views: what goes wrong for many students at once, and where the class loses time. */
export const analyticsRoutes: FastifyPluginAsyncTypebox<AnalyticsRouteOptions> = async (app, { store, requireInstructor, rules }) => {
  const problems = (query: ProblemsQuery, kind: 'error' | 'api_call') => {
    const window = toAnalyticsWindow(query);
    return store
      .readProblems({ ...window, kind, limit: query.limit ?? 50, buckets: TREND_BUCKETS })
      .then((report) => ({ window: { ...windowJson(window), bucketSeconds: report.bucketSeconds }, report }));
  };

  app.get(
    '/api/analytics/errors',
    {
      onRequest: requireInstructor,
      schema: {
        summary: 'Error patterns across the class',
        description: `Errors grouped by errorType and normalised message (ids, keys, numbers… as placeholders: one bug, one row). ${RUN_HELP}`,
        tags,
        security,
        querystring: ProblemsQuery,
        response: { 200: ErrorPatternsResponse, ...errors },
      },
    },
    async (request) => {
      const { window, report } = await problems(request.query, 'error');
      return { success: true as const, window, totalErrors: report.total, patterns: report.groups.map(({ label, status: _status, ...group }) => ({ errorType: label, ...group })) };
    },
  );

  app.get(
    '/api/analytics/api-calls',
    {
      onRequest: requireInstructor,
      schema: {
        summary: 'Failed API calls across the class',
        description: `api_call events with success false or a status of 400 or more, grouped by method, endpoint (ids normalised) and status. ${RUN_HELP}`,
        tags,
        security,
        querystring: ProblemsQuery,
        response: { 200: ApiFailuresResponse, ...errors },
      },
    },
    async (request) => {
      const { window, report } = await problems(request.query, 'api_call');
      return { success: true as const, window, totalFailures: report.total, groups: report.groups.map(apiGroup) };
    },
  );

  app.get(
    '/api/analytics/funnel',
    {
      onRequest: requireInstructor,
      schema: {
        summary: 'Step funnel: how the class moves through the steps',
        description: `Per step: students who reached it, median and 90th-percentile time on it, how many left the workshop there, went back from it, or are on it now. ${RUN_HELP}`,
        tags,
        security,
        querystring: WindowQuery,
        response: { 200: FunnelResponse, ...errors },
      },
    },
    async (request) => {
      const window = toAnalyticsWindow(request.query);
      const idleBefore = new Date(Date.now() - rules.idleMinutes * 60_000);
      const funnel = await store.readFunnel({ ...window, idleBefore });
      return { success: true as const, window: windowJson(window), ...funnel };
    },
  );
};

function apiGroup({ label, pattern, ...group }: ProblemReport['groups'][number]) {
  return { method: label, endpoint: pattern, ...group };
}
