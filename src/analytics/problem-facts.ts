import { asText } from '../schemas/navigation-step.js';
import { normalizeMessage, normalizePath } from './normalize.js';

/**
 * What the class-wide error views group by, for one error or failed API call, derived when
 * the event is stored (kept in event_problems). `label`: an error's type, a call's method.
 * `pattern`: an error's normalised message, a call's normalised endpoint.
 */
export interface ProblemFact {
  kind: 'error' | 'api_call';
  label: string | null;
  pattern: string;
  status: number | null;
  step: string | null;
  stepName: string | null;
}

const text = (value: unknown) => (typeof value === 'string' ? value : null);
const integer = (value: unknown) => (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) < 2 ** 31 ? value : null);

/**
 * The spec's error fields (errorType, errorMessage, statusCode) and api_call fields
 * (endpoint, method, status, success), with the plainer names an SDK user might send
 * (type, message, url, statusCode) as fallbacks. A call failed if it says so or its
 * status is 400 or more.
 *
 * @example problemFact('error', { errorType: 'openai_validation_failed', errorMessage: 'Bad key sk-abc123XYZ', currentStep: 0 })
 *   // { kind: 'error', label: 'openai_validation_failed', pattern: 'Bad key <key>', status: null, step: '0', stepName: null }
 */
export function problemFact(eventType: string, data: Record<string, unknown>): ProblemFact | null {
  // Most events are neither: they cost the writer these two comparisons only.
  if (eventType === 'error') return errorFact(data);
  if (eventType === 'api_call') return failedCallFact(data);
  return null;
}

function errorFact(data: Record<string, unknown>): ProblemFact {
  const message = text(data.errorMessage) ?? text(data.message) ?? '';
  return { kind: 'error', label: text(data.errorType) ?? text(data.type), pattern: normalizeMessage(message), status: integer(data.statusCode ?? data.status), ...stepOf(data) };
}

function failedCallFact(data: Record<string, unknown>): ProblemFact | null {
  const status = integer(data.status ?? data.statusCode);
  if (data.success !== false && (status === null || status < 400)) return null;
  const method = text(data.method)?.toUpperCase() ?? null;
  return { kind: 'api_call', label: method, pattern: normalizePath(text(data.endpoint) ?? text(data.url) ?? ''), status, ...stepOf(data) };
}

const stepOf = (data: Record<string, unknown>) => ({ step: asText(data.currentStep), stepName: asText(data.stepName) });
