// The spec's six logging functions, and the SDK's few others. One logger per page: a
// call before init() starts it with the defaults.
import { identify as identifyStudent, log, sessionToken, setStep, start, stepName, type InitOptions } from './logger.js';
import { flush as flushOutbox } from './outbox.js';

let started = false;
let defaults: InitOptions = {};
let onStart: (options: InitOptions) => void = () => {};

/** How init() starts: the defaults it merges, and what it does next (autocapture). */
export function configureInit(initDefaults: InitOptions, then: (options: InitOptions) => void): void {
  defaults = initDefaults;
  onStart = then;
}

/**
 * Starts logging for this page. Once: a later call, or one after the first event, is ignored.
 *
 * @example
 * init({ steps: ['Connect Accounts', 'Choose Use Case'], currentStep: () => state.step, studentEmail });
 */
export function init(options?: InitOptions): void {
  if (!started) {
    started = true;
    const settings = { ...defaults, ...options };
    start(settings);
    onStart(settings);
  }
}

/** Logs any event; the step context, user agent and timestamp are added. */
export function logSessionEvent(eventType: string, eventData?: Record<string, unknown>): void {
  init();
  log(eventType, eventData);
}

export function logNavigation(from: number, to: number): void {
  init();
  setStep(to);
  log('navigation', { from, to, fromStepName: stepName(from), toStepName: stepName(to) });
}

export function logError(errorType: string, errorMessage: string, errorDetails?: Record<string, unknown>): void {
  logSessionEvent('error', { errorType, errorMessage, ...errorDetails });
}

export function logAction(actionName: string, actionDetails?: Record<string, unknown>): void {
  logSessionEvent('action', { actionName, ...actionDetails });
}

export function logApiCall(endpoint: string, method: string, status: number, details?: Record<string, unknown>): void {
  logSessionEvent('api_call', { endpoint, method, status, success: status > 199 && status < 400, ...details });
}

export function logStateChange(stateName: string, oldValue: unknown, newValue: unknown): void {
  logSessionEvent('state_change', { stateName, oldValue, newValue });
}

/** Attaches the student to this session's events from now on. */
export function identify(email: string, name?: string): void {
  init();
  identifyStudent(email, name);
}

/** The student asks for help: instructors see who, on which step, with what message. */
export function requestHelp(message?: string): void {
  logSessionEvent('help_request', { message });
}

/** This tab's session token, for the student to read out to an instructor. */
export function getSessionToken(): string {
  init();
  return sessionToken();
}

/** Sends what is queued now (for tests, and for pages about to navigate themselves). */
export function flush(): Promise<void> {
  init();
  return flushOutbox();
}
