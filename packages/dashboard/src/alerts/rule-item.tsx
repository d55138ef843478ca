import { useState } from 'preact/hooks';
import type { AlertRule } from './alerts-api.js';
import { RuleDeliveries } from './rule-deliveries.js';
import { ruleCondition } from './rule-condition.js';

interface RuleItemProps {
  rule: AlertRule;
  setEnabled: (enabled: boolean) => void;
  remove: () => void;
  onError: (error: unknown) => void;
}

/** One rule: what it alerts on, on or off, its webhook's deliveries, and deleting it (asked twice). */
export function RuleItem({ rule, setEnabled, remove, onError }: RuleItemProps) {
  const [confirming, setConfirming] = useState(false);
  const [showDeliveries, setShowDeliveries] = useState(false);
  return (
    <li class={`rule${rule.enabled ? '' : ' disabled'}`}>
      <div class="rule-head">
        <strong>{rule.name}</strong>
        <label class="inline">
          <input type="checkbox" checked={rule.enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} /> enabled
        </label>
        {rule.webhookUrl !== null && (
          <button type="button" aria-expanded={showDeliveries} onClick={() => setShowDeliveries(!showDeliveries)}>
            Webhook deliveries
          </button>
        )}
        {confirming ? (
          <>
            <button type="button" class="danger" onClick={remove}>
              Delete “{rule.name}”
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Keep it
            </button>
          </>
        ) : (
          <button type="button" onClick={() => setConfirming(true)}>
            Delete…
          </button>
        )}
      </div>
      <p class="muted">
        Alerts on {ruleCondition(rule)}; then quiet for {rule.cooldownMinutes} min{rule.kind === 'class_wide' ? '' : ' per student'}.
        {rule.webhookUrl !== null && ` Webhook: ${rule.webhookUrl}`}
      </p>
      {showDeliveries && <RuleDeliveries ruleId={rule.ruleId} onError={onError} />}
    </li>
  );
}
