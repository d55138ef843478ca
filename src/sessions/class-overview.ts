import type { ActiveSession, ClassActivity, EventStore, StepStay } from '../storage/types.js';
import { sessionStatus, STATUSES, type StatusRules } from './status-rules.js';
import type { SessionSummary, StepSummary } from './overview-schema.js';
import { stepMedian, stepTimes, type StepKey, type StepTimes } from './step-durations.js';

export interface ClassOverview {
  generatedAt: string;
  rules: StatusRules;
  sessions: SessionSummary[];
  steps: StepSummary[];
  activeSessions: number;
}

export interface OverviewRequest {
  activeWithinSeconds: number;
  limit: number;
  rules: StatusRules;
  now?: Date;
}

/** Who is active, where each one is, and who needs help first. */
export async function classOverview(store: EventStore, request: OverviewRequest): Promise<ClassOverview> {
  const now = request.now ?? new Date();
  const activity = await store.readClassActivity({
    activeSince: new Date(now.getTime() - request.activeWithinSeconds * 1000),
    recentSince: new Date(now.getTime() - request.rules.errorWindowMinutes * 60_000),
    limit: request.limit,
  });
  return summarize(activity, request.rules, now);
}

function summarize(activity: ClassActivity, rules: StatusRules, now: Date): ClassOverview {
  const times = stepTimes(activity.stays);
  const sessions = activity.sessions.map((session) => summarizeSession(session, times, rules, now));
  sessions.sort((a, b) => STATUSES.indexOf(a.status) - STATUSES.indexOf(b.status) || b.secondsOnStep - a.secondsOnStep);
  return { generatedAt: now.toISOString(), rules, sessions, steps: stepSummaries(sessions, times, activity.stays), activeSessions: activity.activeSessions };
}

function summarizeSession(
  session: ActiveSession,
  times: StepTimes,
  rules: StatusRules,
  now: Date,
): SessionSummary {
  const stay = session.stay;
  const currentStep = stay?.step ?? null;
  const onStepSince = stay?.since ?? session.firstSeen;
  const secondsOnStep = seconds(now, onStepSince);
  // A help request counts until the student moves on to another step.
  const help = session.lastHelpRequest !== null && (stay === null || session.lastHelpRequest.eventId > stay.eventId) ? session.lastHelpRequest : null;
  const { status, reason } = sessionStatus(
    {
      helpRequested: help !== null,
      secondsOnStep,
      stepMedian: currentStep === null ? null : stepMedian(times, currentStep, session.sessionToken),
      recentErrors: session.recentErrors,
      secondsIdle: seconds(now, session.lastSeen),
    },
    rules,
  );
  return {
    sessionToken: session.sessionToken,
    studentEmail: session.studentEmail,
    studentName: session.studentName,
    currentStep,
    stepName: stay?.stepName ?? null,
    onStepSince,
    secondsOnStep,
    lastActivity: session.lastSeen,
    eventCount: session.eventCount,
    recentErrors: session.recentErrors,
    lastError: session.lastError === null ? null : { errorType: session.lastError.kind, errorMessage: session.lastError.message, at: session.lastError.at },
    helpRequest: help === null ? null : { message: help.message, at: help.at },
    status,
    reason,
  };
}

/** Every step seen in the window, in step order: who is on it now, and the class's median time on it. */
function stepSummaries(
  sessions: SessionSummary[],
  times: StepTimes,
  stays: readonly StepStay[],
): StepSummary[] {
  // The newest name a step was given wins (stays come newest first); a stay without one names nothing.
  const named = stays.filter((stay) => stay.stepName !== null);
  const names = new Map([...named].reverse().map((stay) => [stay.step, stay.stepName]));
  const steps = new Map<StepKey, StepSummary>();
  const summaryOf = (step: StepKey): StepSummary => {
    const median = stepMedian(times, step);
    return { step, stepName: names.get(step) ?? null, sessions: 0, medianSeconds: median?.seconds ?? null, samples: median?.samples ?? 0 };
  };
  const entry = (step: StepKey): StepSummary => steps.get(step) ?? summaryOf(step);
  for (const step of times.keys()) steps.set(step, entry(step));
  for (const session of sessions) {
    if (session.currentStep === null) continue;
    const summary = entry(session.currentStep);
    steps.set(session.currentStep, { ...summary, sessions: summary.sessions + 1, stepName: summary.stepName ?? session.stepName });
  }
  return [...steps.values()].sort((a, b) => a.step.localeCompare(b.step, 'en', { numeric: true }));
}

const seconds = (now: Date, since: string) => Math.max(0, Math.round((now.getTime() - Date.parse(since)) / 1000));
