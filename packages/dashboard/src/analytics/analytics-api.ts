// The class-wide analytics routes as the dashboard uses them (same origin, the session cookie as credentials).
import type { Static } from 'typebox';
import type { ApiFailuresResponse, ErrorPatternsResponse, FunnelResponse } from '../../../../src/analytics/analytics-schemas.js';
import { call } from '../api.js';

export type ErrorPatterns = Static<typeof ErrorPatternsResponse>;
export type ApiFailures = Static<typeof ApiFailuresResponse>;
export type Funnel = Static<typeof FunnelResponse>;
/** The window a problem report covers; its trends are buckets of `bucketSeconds`, oldest first. */
export type ReportWindow = ErrorPatterns['window'];
/** What error patterns and failed API calls have in common: how often, who, where, when. */
export type Occurrences = Omit<ErrorPatterns['patterns'][number], 'errorType' | 'pattern' | 'example'>;
export type AffectedStudent = Occurrences['affected'][number];
export type StepCount = Occurrences['steps'][number];
export type FunnelStep = Funnel['steps'][number];

/** `query`: the window (since, until) and the workshop-run conditions (data.<field>). */
export const getErrorPatterns = (query: URLSearchParams) => call<ErrorPatterns>(`/api/analytics/errors?${query.toString()}`);
export const getApiFailures = (query: URLSearchParams) => call<ApiFailures>(`/api/analytics/api-calls?${query.toString()}`);
export const getFunnel = (query: URLSearchParams) => call<Funnel>(`/api/analytics/funnel?${query.toString()}`);
