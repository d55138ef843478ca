import type { StoredEvent } from './api.js';
import { navigationStep, stepLabel } from '../../../src/schemas/navigation-step.js';

const show = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value) ?? 'undefined');

/** One line that says what happened, by event type; the data itself stays one click away. */
export function eventSummary(event: StoredEvent): string {
  const d = event.event_data;
  switch (event.event_type) {
    case 'navigation':
      return navigationSummary(d);
    case 'error':
      return `${show(d.errorType ?? 'error')}: ${show(d.errorMessage ?? d.message ?? '')}${d.statusCode === undefined ? '' : ` (${show(d.statusCode)})`}`;
    case 'api_call':
      return `${show(d.method ?? '')} ${show(d.endpoint ?? '')}${d.status === undefined ? '' : ` → ${show(d.status)}`}`;
    case 'action':
      return show(d.actionName ?? 'action');
    case 'state_change':
      return `${show(d.stateName)}: ${show(d.oldValue)} → ${show(d.newValue)}`;
    case 'help_request':
      return `asked for help${typeof d.message === 'string' ? `: “${d.message}”` : ''}`;
    case 'events_dropped':
      return `${show(d.count)} events dropped in the browser (queue full)`;
    default:
      return JSON.stringify(d).slice(0, 140);
  }
}

/** "step 1 → 2 · Provision Services"; a first navigation has no `from`: "arrived at step 0 · Connect Accounts". */
function navigationSummary(d: Record<string, unknown>): string {
  const { step, stepName } = navigationStep(d);
  if (d.from === undefined || d.from === null) return `arrived at ${stepLabel(step, stepName) ?? 'step ?'}`;
  return `step ${show(d.from)} → ${step ?? '?'}${stepName === null ? '' : ` · ${stepName}`}`;
}

/** Errors, and API calls that failed: what should catch the eye. */
export function isFailure(event: StoredEvent): boolean {
  if (event.event_type === 'error') return true;
  if (event.event_type !== 'api_call') return false;
  const status = Number(event.event_data.status);
  return event.event_data.success === false || status >= 400 || status === 0;
}

/** What a timeline mark's colour says: one colour per kind, errors and failed API calls alike in red. */
export const EVENT_KINDS = ['navigation', 'action', 'api_call', 'state_change', 'error', 'help_request', 'other'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export function eventKind(event: StoredEvent): EventKind {
  if (isFailure(event)) return 'error';
  return EVENT_KINDS.find((kind) => kind === event.event_type) ?? 'other';
}
