// One student's page: adds the context the browser SDK adds to every event (currentStep,
// stepName, userAgent, timestamp; fromStepName/toStepName for navigations, success for
// API calls), numbers events per session from 0 and hands them to the outbox.
import { randomUUID } from 'node:crypto';
import type { Outbox, OutgoingEvent } from './outbox.js';
import { STEP_NAMES } from './workshop.js';

export interface StudentIdentity {
  sessionToken: string;
  studentEmail?: string;
  studentName?: string;
  userAgent: string;
}

export interface SessionLogger {
  /** The step the student is on (the `to` of the last navigation); null before the first. */
  readonly step: number | null;
  log(eventType: string, fields: Record<string, unknown>): void;
  navigate(from: number | null, to: number): void;
  apiCall(endpoint: string, method: string, status: number, details?: Record<string, unknown>): void;
  error(errorType: string, errorMessage: string, statusCode: number, details?: Record<string, unknown>): void;
  action(actionName: string, details?: Record<string, unknown>): void;
  stateChange(stateName: string, oldValue: unknown, newValue: unknown): void;
}

export function createSessionLogger(identity: StudentIdentity, outbox: Outbox): SessionLogger {
  const { userAgent, ...who } = identity;
  let step: number | null = null;
  let seq = 0;

  const log = (eventType: string, fields: Record<string, unknown>): void => {
    const context = { currentStep: step ?? undefined, stepName: stepName(step), userAgent, timestamp: new Date().toISOString() };
    // Through JSON, as the SDK does: undefined fields vanish instead of reaching the service.
    const eventData = JSON.parse(JSON.stringify({ ...context, ...fields })) as Record<string, unknown>;
    const event: OutgoingEvent = { ...who, eventType, eventData, eventId: randomUUID(), seq: seq++ };
    outbox.enqueue(event);
  };

  return {
    get step() {
      return step;
    },
    log,
    navigate(from, to) {
      step = to;
      log('navigation', { from, to, fromStepName: stepName(from), toStepName: stepName(to) });
    },
    apiCall(endpoint, method, status, details) {
      log('api_call', { endpoint, method, status, success: status >= 200 && status < 400, ...details });
    },
    error(errorType, errorMessage, statusCode, details) {
      log('error', { errorType, errorMessage, statusCode, ...details });
    },
    action(actionName, details) {
      log('action', { actionName, ...details });
    },
    stateChange(stateName, oldValue, newValue) {
      log('state_change', { stateName, oldValue, newValue });
    },
  };
}

const stepName = (step: number | null): string | undefined => (step === null ? undefined : STEP_NAMES[step]);
