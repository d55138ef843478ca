import { classOverview } from '../sessions/class-overview.js';
import type { StatusRules } from '../sessions/status-rules.js';
import type { EventStore } from '../storage/types.js';
import type { AlertContent, Claim, StoredRule } from './alert-store.js';
import { stuckSummary } from './alert-text.js';

/** How many active sessions a stuck check looks at (the dashboard's own limit). */
const OVERVIEW_LIMIT = 2000;
const OVERVIEW_WINDOW_SECONDS = 3 * 3600;

/**
 * What `stuck` rules would alert on now: every active session whose class-overview status
 * is one of a rule's, from the overview itself (so the roster and the alert never
 * disagree). One problem per stay on a step, or per help request, not one per check.
 */
export async function stuckAlerts<Rule extends StoredRule>(
  store: EventStore,
  rules: readonly Rule[],
  statusRules: StatusRules,
): Promise<Array<{ rule: Rule; content: AlertContent; claim: Omit<Claim, 'cooldownMinutes'> }>> {
  const now = new Date();
  const overview = await classOverview(store, { activeWithinSeconds: OVERVIEW_WINDOW_SECONDS, limit: OVERVIEW_LIMIT, rules: statusRules, now });
  return overview.sessions.flatMap((session) => {
    const since = session.status === 'stuck' ? session.onStepSince : (session.helpRequest?.at ?? session.onStepSince);
    const student = { sessionToken: session.sessionToken, studentEmail: session.studentEmail, studentName: session.studentName };
    const content = { students: [student], step: session.currentStep, stepName: session.stepName, event: null, summary: stuckSummary(session) };
    const claim = { subject: session.sessionToken, problem: `${session.status === 'stuck' ? 'stuck' : 'help'}:${since}`, sequence: Date.parse(since), at: now };
    return rules.filter((rule) => (rule.statuses ?? []).some((status) => status === session.status)).map((rule) => ({ rule, content, claim }));
  });
}
