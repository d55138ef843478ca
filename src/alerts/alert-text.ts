import { asText, navigationStep, stepLabel } from '../schemas/navigation-step.js';
import type { SessionSummary } from '../sessions/overview-schema.js';
import type { StoredEvent } from '../storage/types.js';
import type { Alert, AlertStudent } from './alert-schemas.js';

/** How an alert names a student: their name, else their email, else their session. */
export const studentLabel = (student: AlertStudent) => student.studentName ?? student.studentEmail ?? `session ${student.sessionToken}`;

/** The step an event was logged on, from the SDK's context (`currentStep`, `stepName`). */
export function eventStep(event: StoredEvent): { step: string | null; stepName: string | null } {
  const data = event.event_data;
  return event.event_type === 'navigation' ? navigationStep(data) : { step: asText(data.currentStep), stepName: asText(data.stepName) };
}

/** One line on what the event says: an error's type and message, an API call's outcome. */
export function eventLine(event: StoredEvent): string {
  const data = event.event_data;
  const text = (value: unknown) => asText(value) ?? '';
  if (event.event_type === 'error') {
    const message = text(data.errorMessage ?? data.message);
    const status = data.statusCode === undefined ? '' : ` (${text(data.statusCode)})`;
    return `error ${text(data.errorType ?? data.type) || 'without a type'}${message === '' ? '' : `: ${message}`}${status}`;
  }
  if (event.event_type === 'api_call') return `API call ${text(data.method)} ${text(data.endpoint)} → ${text(data.status)}`;
  if (event.event_type === 'help_request') return `asked for help: “${text(data.message)}”`;
  return `${event.event_type} ${JSON.stringify(data).slice(0, 120)}`;
}

/** A match rule's alert: who, where, what. */
export function matchSummary(student: AlertStudent, event: StoredEvent): string {
  const { step, stepName } = eventStep(event);
  const where = stepLabel(step, stepName);
  return `${studentLabel(student)}${where === null ? '' : ` on ${where}`}: ${eventLine(event)}`;
}

/** A class-wide rule's alert: how many, from how many, and the latest. */
export function classWideSummary(events: number, students: number, windowMinutes: number, latest: StoredEvent): string {
  return `${events} matching events from ${students} students in the last ${windowMinutes} min; latest: ${eventLine(latest)}`;
}

/** A stuck rule's alert, in the overview's own words. */
export function stuckSummary(session: SessionSummary): string {
  const who = studentLabel(session);
  const where = stepLabel(session.currentStep, session.stepName) ?? 'their step';
  if (session.status === 'asked_for_help') return `${who} asked for help on ${where}${session.helpRequest?.message == null ? '' : `: “${session.helpRequest.message}”`}`;
  const error = session.lastError === null ? '' : `; latest error: ${session.lastError.errorType ?? 'error'}: ${session.lastError.errorMessage ?? ''}`;
  return `${who} is stuck on ${where}: ${session.reason}${error}`;
}

/**
 * What a webhook receives: the alert, and a `text` that Slack (and anything that reads
 * Slack's incoming-webhook format) shows as the message, with a link to the first
 * student's timeline when the service knows its public address.
 */
export function webhookBody(alert: Alert, publicUrl: string | null): string {
  const student = alert.students[0];
  const link = publicUrl === null || student === undefined ? '' : ` ${publicUrl}/?view=student&session=${encodeURIComponent(student.sessionToken)}`;
  return JSON.stringify({ text: `session-log alert (${alert.ruleName}): ${alert.summary}${link}`, alert });
}
