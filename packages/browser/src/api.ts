// The spec's six logging functions, and the SDK's few others. One logger per page: a
// call before init() starts it with the default options.
import { identify as identifyStudent, log, navigate, ready, sessionToken, settings, start, type InitOptions } from './logger.js';
import { flush as flushOutbox } from './outbox.js';

/**
 * Starts logging for this page with these options. Called again, it updates them (steps,
 * currentStep, endpoint, batching); the session and autocapture stay as first started.
 *
 * @example
 * init({ steps: ['Connect Accounts', 'Choose Use Case'], currentStep: () => state.step, studentEmail });
 */
export function init(options: InitOptions = {}): void {
  if (settings) Object.assign(settings, options);
  else start(options);
}

/** Logs any event; the step context, user agent and timestamp are added. */
export const logSessionEvent: (eventType: string, eventData?: Record<string, unknown>) => void = log;

export const logNavigation: (from: number, to: number) => void = navigate;

// The helpers hand their details to log() as they are, to be read inside its guard (a
// getter that throws must not reach the page). Arrow functions: the 2 KB budget.

export const logError = (errorType: string, errorMessage: string, errorDetails?: Record<string, unknown>): void =>
  log('error', { errorType, errorMessage }, errorDetails);

export const logAction = (actionName: string, actionDetails?: Record<string, unknown>): void => log('action', { actionName }, actionDetails);

export const logApiCall = (endpoint: string, method: string, status: number, details?: Record<string, unknown>): void =>
  log('api_call', { endpoint, method, status, success: status > 199 && status < 400 }, details);

export const logStateChange = (stateName: string, oldValue: unknown, newValue: unknown): void =>
  log('state_change', { stateName, oldValue, newValue });

/** Attaches the student to this session's events from now on. */
export function identify(email: string, name?: string): void {
  ready();
  identifyStudent(email, name);
}

/** The student asks for help: instructors see who, on which step, with what message. */
export const requestHelp = (message?: string): void => log('help_request', { message });

/** This tab's session token, for the student to read out to an instructor. */
export function getSessionToken(): string {
  return sessionToken();
}

/** Sends what is queued now (for tests, and for pages about to navigate themselves). */
export function flush(): Promise<void> {
  ready();
  return flushOutbox();
}
