import type { StepStay } from '../storage/types.js';

/** A step as the workshop page names it in navigation events (`to`), as text. */
export type StepKey = string;

/**
 * The class's median time on each step, from the stays that have ended: a classmate who
 * came back to a step counts once, with their longest stay, and `samples` is the number
 * of classmates behind the median.
 */
export function medianSecondsPerStep(stays: readonly StepStay[]): Map<StepKey, { seconds: number; samples: number }> {
  const longest = new Map<StepKey, Map<string, number>>();
  for (const stay of stays) {
    if (stay.step === null) continue;
    const bySession = longest.get(stay.step) ?? new Map<string, number>();
    bySession.set(stay.sessionToken, Math.max(bySession.get(stay.sessionToken) ?? 0, stay.seconds));
    longest.set(stay.step, bySession);
  }
  return new Map([...longest].map(([step, bySession]) => [step, { seconds: median([...bySession.values()]), samples: bySession.size }]));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}
