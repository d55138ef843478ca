import type { StepStay } from '../storage/types.js';

/** A step as the workshop page names it in navigation events (`to`), as text. */
export type StepKey = string;

/** For each step, the sessions that left it and their longest stay on it, in seconds. */
export type StepTimes = Map<StepKey, Map<string, number>>;

/** The stays that have ended, by step: a session that came back to a step counts once, with its longest stay. */
export function stepTimes(stays: readonly StepStay[]): StepTimes {
  const times: StepTimes = new Map();
  for (const stay of stays) {
    if (stay.step === null) continue;
    const bySession = times.get(stay.step) ?? new Map<string, number>();
    bySession.set(stay.sessionToken, Math.max(bySession.get(stay.sessionToken) ?? 0, stay.seconds));
    times.set(stay.step, bySession);
  }
  return times;
}

/**
 * The median time on `step` of the sessions that left it, but `except` (a student is not
 * their own classmate), and how many sessions it comes from; null when there are none.
 */
export function stepMedian(times: StepTimes, step: StepKey, except?: string): { seconds: number; samples: number } | null {
  const seconds = [...(times.get(step) ?? [])].filter(([token]) => token !== except).map(([, time]) => time);
  return seconds.length === 0 ? null : { seconds: median(seconds), samples: seconds.length };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}
