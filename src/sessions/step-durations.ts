import type { StepVisit } from '../storage/types.js';

/** A step as the workshop page names it in navigation events (`to`), as text. */
export type StepKey = string;

/** The class's median time on each step, from the visits that have ended. */
export function medianSecondsPerStep(visits: readonly StepVisit[]): Map<StepKey, { seconds: number; samples: number }> {
  const durations = new Map<StepKey, number[]>();
  for (const { step, seconds } of visits) {
    if (step === null || seconds === null) continue;
    const list = durations.get(step) ?? [];
    list.push(seconds);
    durations.set(step, list);
  }
  return new Map([...durations].map(([step, seconds]) => [step, { seconds: median(seconds), samples: seconds.length }]));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}
