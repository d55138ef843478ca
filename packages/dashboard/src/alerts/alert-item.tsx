import type { StoredEvent } from '../api.js';
import { eventSummary } from '../event-summary.js';
import { stepLabel } from '../../../../src/schemas/navigation-step.js';
import { fullTime, timeOfDay } from '../format.js';
import { AlertStudents } from './alert-students.js';
import type { Alert } from './alerts-api.js';

/** One alert in the list: when, which rule, what happened and to whom, and its acknowledgement. */
// The alert's event is an event as GET returns it (its schema types event_data as unknown, the store as an object).
export function AlertItem({ alert, acknowledge }: { alert: Alert; acknowledge: () => void }) {
  return (
    <li class={`alert-item${alert.acknowledgedAt === null ? ' unacknowledged' : ''}`}>
      <div class="alert-head">
        <time dateTime={alert.createdAt} title={fullTime(alert.createdAt)}>
          {timeOfDay(alert.createdAt)}
        </time>
        <strong>{alert.ruleName}</strong>
        {alert.step !== null && <span class="muted">{stepLabel(alert.step, alert.stepName)}</span>}
        {alert.acknowledgedAt === null ? (
          <button type="button" onClick={acknowledge}>
            Acknowledge
          </button>
        ) : (
          <span class="muted">acknowledged at {timeOfDay(alert.acknowledgedAt)}</span>
        )}
      </div>
      <p>{alert.summary}</p>
      <AlertStudents alert={alert} />
      {alert.event !== null && (
        <p class="muted small">
          Latest event: {alert.event.event_type}: {eventSummary(alert.event as StoredEvent)}
        </p>
      )}
    </li>
  );
}
