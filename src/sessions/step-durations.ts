import type { StepVisit } from '../storage/types.js';

/** A step as the workshop page names it in navigation events (`to`), as text. */
export type StepKey = string;

/**
 * The class's median time on each step, from the visits that have ended (oldest first):
 * consecutive visits of one session to the same step (a page that logs its step again on
 * reload) count as one stay, and `samples` is the number of classmates behind the median.
 */
export function medianSecondsPerStep(visits: readonly StepVisit[]): Map<StepKey, { seconds: number; samples: number }> {
  const stays = new Map<StepKey, Map<string, number>>();
  const open = new Map<string, { step: string | null; seconds: number }>();
  const close = (session: string) => {
    const stay = open.get(session);
    if (stay?.step === null || stay === undefined) return;
    const bySession = stays.get(stay.step) ?? new Map<string, number>();
    // A classmate who came back to a step counts once, with their longest stay.
    bySession.set(session, Math.max(bySession.get(session) ?? 0, stay.seconds));
    stays.set(stay.step, bySession);
  };
  for (const visit of visits) {
    const current = open.get(visit.sessionToken);
    if (current !== undefined && current.step === visit.step) current.seconds += visit.seconds ?? Number.NaN;
    else {
      close(visit.sessionToken);
      open.set(visit.sessionToken, { step: visit.step, seconds: visit.seconds ?? Number.NaN });
    }
  }
  for (const session of open.keys()) close(session);
  return new Map(
    [...stays].flatMap(([step, bySession]) => {
      const seconds = [...bySession.values()].filter((value) => !Number.isNaN(value));
      return seconds.length === 0 ? [] : [[step, { seconds: median(seconds), samples: seconds.length }] as const];
    }),
  );
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}
