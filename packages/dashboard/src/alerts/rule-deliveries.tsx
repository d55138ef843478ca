import { useEffect, useState } from 'preact/hooks';
import { timeOfDay } from '../format.js';
import { getDeliveries, type Delivery } from './alerts-api.js';
import { reportProblem } from './report-problem.js';

/** One delivery's outcome in words: "delivered (200) after 2 attempts", "failed: connect ECONNREFUSED". */
function outcome(delivery: Delivery): string {
  const attempts = `${delivery.attempts} attempt${delivery.attempts === 1 ? '' : 's'}`;
  const answer = delivery.lastStatus === null ? '' : ` (HTTP ${delivery.lastStatus})`;
  if (delivery.status === 'delivered') return `delivered${answer} after ${attempts}`;
  const why = delivery.lastError === null ? answer : `${answer}: ${delivery.lastError}`;
  if (delivery.status === 'failed') return `failed after ${attempts}${why}`;
  return `pending, ${attempts} so far${why}${delivery.nextAttemptAt === null ? '' : `; next at ${timeOfDay(delivery.nextAttemptAt)}`}`;
}

/** A rule's webhook deliveries, newest first: each alert sent, its attempts and the receiver's last answer. */
export function RuleDeliveries({ ruleId, onError }: { ruleId: number; onError: (error: unknown) => void }) {
  const [deliveries, setDeliveries] = useState<Delivery[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    getDeliveries(ruleId).then((answer) => setDeliveries(answer.deliveries), reportProblem(setProblem, onError));
  }, [ruleId]);
  if (problem !== null) return <p class="error-text">{problem}</p>;
  if (deliveries === null) return <p class="muted">Loading deliveries…</p>;
  if (deliveries.length === 0) return <p class="muted">No delivery yet.</p>;
  return (
    <ol class="deliveries">
      {deliveries.map((delivery) => (
        <li key={delivery.deliveryId} class={`delivery-${delivery.status}`}>
          <time dateTime={delivery.createdAt}>{timeOfDay(delivery.createdAt)}</time> alert #{delivery.alertId} to <code>{delivery.url}</code>: {outcome(delivery)}
        </li>
      ))}
    </ol>
  );
}
