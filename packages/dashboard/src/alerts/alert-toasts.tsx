import { useState } from 'preact/hooks';
import { SignedOut } from '../api.js';
import { Link } from '../navigation.js';
import { useAlertFeed } from './alert-feed.js';
import { AlertStudents } from './alert-students.js';
import type { Alert } from './alerts-api.js';

/** Toasts in sight at once; the older ones wait in the Alerts view. */
const MAX_TOASTS = 3;

/** A dismissible notice for each alert as it fires, newest on top, read out by screen readers. */
export function AlertToasts({ onError }: { onError: (error: unknown) => void }) {
  // `more`: alerts pushed out of sight by newer ones.
  const [{ toasts, more }, setStack] = useState<{ toasts: Alert[]; more: number }>({ toasts: [], more: 0 });
  const push = (alert: Alert) => {
    setStack((stack) => {
      const next = [alert, ...stack.toasts.filter((a) => a.alertId !== alert.alertId)];
      return { toasts: next.slice(0, MAX_TOASTS), more: stack.more + Math.max(0, next.length - MAX_TOASTS) };
    });
  };
  useAlertFeed({
    onAlert: push,
    // No alerts on this service (yet): nothing to say. Signed out: the page says so.
    onRefused: (error) => error instanceof SignedOut && onError(error),
  });
  const dismiss = (alertId: number) => setStack((stack) => ({ ...stack, toasts: stack.toasts.filter((a) => a.alertId !== alertId) }));
  // The live region is always there, so that what is added to it is announced.
  return (
    <div class="toasts" role="status" aria-live="polite">
      {toasts.map((alert) => (
        <div key={alert.alertId} class={`toast toast-${alert.kind}`}>
          <strong>{alert.ruleName}</strong>
          <p>{alert.summary}</p>
          <AlertStudents alert={alert} />
          <button type="button" class="dismiss" aria-label={`Dismiss the alert: ${alert.summary}`} onClick={() => dismiss(alert.alertId)}>
            ×
          </button>
        </div>
      ))}
      {more > 0 && toasts.length > 0 && (
        <p class="toast more">
          <Link to={{ view: 'alerts' }}>
            {more} earlier alert{more === 1 ? '' : 's'} in Alerts
          </Link>{' '}
          <button type="button" onClick={() => setStack({ toasts: [], more: 0 })}>
            Dismiss all
          </button>
        </p>
      )}
    </div>
  );
}
