import type { PastEvent } from '../../test/helpers/insert-at.js';
import { STEP_NAMES } from './events.js';

export const LIVE_SESSIONS = 500;

/**
 * A class in progress on top of the seeded history: `LIVE_SESSIONS` students started in
 * the last 3 hours, each through the workshop's steps at their own pace (8 to 12 minutes
 * a step), an event every 90 seconds between navigations, every tenth student hitting
 * errors and one in fifty asking for help. About 21,000 events, oldest first.
 */
export function liveClass(now: number): PastEvent[] {
  const events: PastEvent[] = [];
  for (let s = 0; s < LIVE_SESSIONS; s++) {
    const sessionToken = `ws_live_${String(s).padStart(3, '0')}`;
    const stepMinutes = 8 + (s % 5);
    let at = now - 170 * 60_000 + s * 6_000;
    for (let step = 0; step < STEP_NAMES.length && at < now; step++) {
      events.push({ sessionToken, eventType: 'navigation', eventData: { from: Math.max(0, step - 1), to: step, toStepName: STEP_NAMES[step] }, at: new Date(at) });
      const leave = Math.min(now, at + stepMinutes * 60_000);
      for (let t = at + 90_000; t < leave; t += 90_000) {
        const failing = s % 10 === 0 && t > now - 10 * 60_000;
        events.push({
          sessionToken,
          eventType: failing ? 'error' : 'action',
          eventData: failing ? { errorType: 'twilio_function_deploy_failed', errorMessage: 'Twilio account not authorized for Functions', statusCode: 403 } : { actionName: 'clicked', step },
          at: new Date(t),
        });
      }
      at = leave;
    }
    if (s % 50 === 0) events.push({ sessionToken, eventType: 'help_request', eventData: { message: 'stuck on this step' }, at: new Date(now - 60_000) });
  }
  return events;
}
