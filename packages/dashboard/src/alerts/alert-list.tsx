import { useEffect, useState } from 'preact/hooks';
import { useAlertFeed } from './alert-feed.js';
import { AlertItem } from './alert-item.js';
import { acknowledgeAlert, ALERTS_SHOWN, getAlerts, type Alert } from './alerts-api.js';
import { reportProblem } from './report-problem.js';

/** The latest alerts, newest first and live; by default those nobody has acknowledged yet. */
export function AlertList({ onError }: { onError: (error: unknown) => void }) {
  const [unacknowledgedOnly, setUnacknowledgedOnly] = useState(true);
  const [alerts, setAlerts] = useState<Alert[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const fail = reportProblem(setProblem, onError);
  useEffect(() => {
    let current = true;
    getAlerts(unacknowledgedOnly).then((answer) => current && (setAlerts(answer.alerts), setProblem(null)), (error: unknown) => current && fail(error));
    return () => {
      current = false;
    };
  }, [unacknowledgedOnly]);
  useAlertFeed({
    onAlert: (alert) => setAlerts((shown) => shown && [alert, ...shown.filter((a) => a.alertId !== alert.alertId)].slice(0, ALERTS_SHOWN)),
  });
  const acknowledge = (alertId: number) =>
    acknowledgeAlert(alertId).then(
      ({ alert }) => setAlerts((shown) => shown && (unacknowledgedOnly ? shown.filter((a) => a.alertId !== alertId) : shown.map((a) => (a.alertId === alertId ? alert : a)))),
      fail,
    );
  return (
    <section class="alerts" aria-labelledby="alerts-title">
      <h2 id="alerts-title">
        Recent alerts{' '}
        <label class="muted small">
          <input type="checkbox" checked={unacknowledgedOnly} onChange={(e) => setUnacknowledgedOnly(e.currentTarget.checked)} /> unacknowledged only
        </label>
      </h2>
      {problem !== null && (
        <p role="alert" class="error-text">
          {problem}
        </p>
      )}
      {alerts !== null && alerts.length === 0 && <p class="muted">{unacknowledgedOnly ? 'No alert waits for you.' : 'No alert yet.'}</p>}
      <ol class="alert-list">
        {alerts?.map((alert) => <AlertItem key={alert.alertId} alert={alert} acknowledge={() => void acknowledge(alert.alertId)} />)}
      </ol>
    </section>
  );
}
