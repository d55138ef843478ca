import type { StatusRules } from './overview-schema.js';

export type { StatusRules } from './overview-schema.js';

export const DEFAULT_RULES: StatusRules = {
  idleMinutes: 5,
  errorWindowMinutes: 10,
  stuckFactor: 3,
  stuckMinMinutes: 5,
  stuckFallbackMinutes: 20,
  minSamples: 3,
};

/** Who needs help first: the overview sorts by this order, then by time on the step. */
export const STATUSES = ['asked_for_help', 'stuck', 'erroring', 'idle', 'on_track'] as const;
export type SessionStatus = (typeof STATUSES)[number];

/** What the rules look at for one session. */
export interface StatusFacts {
  helpRequested: boolean;
  secondsOnStep: number;
  /** The class's median seconds on this step, and how many classmates it comes from. */
  stepMedian: { seconds: number; samples: number } | null;
  recentErrors: number;
  secondsIdle: number;
}

/** The session's status and, in a few words, why. */
export function sessionStatus(facts: StatusFacts, rules: StatusRules): { status: SessionStatus; reason: string } {
  if (facts.helpRequested) return { status: 'asked_for_help', reason: 'asked for help on this step' };
  // Someone who stopped sending left, or is away: time on the step says nothing then.
  if (facts.secondsIdle >= rules.idleMinutes * 60) return { status: 'idle', reason: `no activity for ${minutes(facts.secondsIdle)}` };
  const stuck = stuckReason(facts, rules);
  if (stuck !== null) return { status: 'stuck', reason: stuck };
  if (facts.recentErrors > 0) {
    return { status: 'erroring', reason: `${facts.recentErrors} error(s) in the last ${rules.errorWindowMinutes} min` };
  }
  return { status: 'on_track', reason: 'making progress' };
}

function stuckReason(facts: StatusFacts, rules: StatusRules): string | null {
  const onStep = facts.secondsOnStep;
  const median = facts.stepMedian;
  if (median !== null && median.samples >= rules.minSamples) {
    const limit = Math.max(rules.stuckMinMinutes * 60, rules.stuckFactor * median.seconds);
    return onStep >= limit ? `${minutes(onStep)} on this step; the class took ${minutes(median.seconds)} (median)` : null;
  }
  // Too few classmates past the step to compare: a fixed limit. A step nobody has left
  // yet (the last one, or one this student reached first) has no limit at all.
  if (median === null) return null;
  return onStep >= rules.stuckFallbackMinutes * 60 ? `${minutes(onStep)} on this step (too few classmates past it to compare)` : null;
}

function minutes(seconds: number): string {
  return seconds < 60 ? `${Math.round(seconds)} s` : `${Math.round(seconds / 60)} min`;
}
