import type { StoredEvent } from '../storage/types.js';

/** A step as the workshop page names it in navigation events (`to`), as text. */
export type StepKey = string;

/** The step a navigation event arrives at, or null when it does not say. */
export function stepOf(navigation: StoredEvent): StepKey | null {
  const step = navigation.event_data.to ?? navigation.event_data.currentStep;
  return typeof step === 'number' || typeof step === 'string' ? String(step) : null;
}

export function stepNameOf(navigation: StoredEvent): string | null {
  const name = navigation.event_data.toStepName ?? navigation.event_data.stepName;
  return typeof name === 'string' ? name : null;
}

/**
 * The class's median time on each step, from navigations (oldest first): a visit to a
 * step lasts from the navigation that arrives at it to the session's next navigation.
 */
export function medianSecondsPerStep(navigations: readonly StoredEvent[]): Map<StepKey, { seconds: number; samples: number }> {
  const visits = new Map<StepKey, number[]>();
  const previous = new Map<string, StoredEvent>();
  for (const navigation of navigations) {
    const before = previous.get(navigation.session_token);
    previous.set(navigation.session_token, navigation);
    const step = before === undefined ? null : stepOf(before);
    if (before === undefined || step === null) continue;
    const seconds = (Date.parse(navigation.created_at) - Date.parse(before.created_at)) / 1000;
    const list = visits.get(step) ?? [];
    list.push(seconds);
    visits.set(step, list);
  }
  return new Map([...visits].map(([step, seconds]) => [step, { seconds: median(seconds), samples: seconds.length }]));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}
