import { useEffect, useState } from 'preact/hooks';
import { changeRule, deleteRule, getRules, type AlertRule } from './alerts-api.js';
import { reportProblem } from './report-problem.js';
import { RuleForm } from './rule-form.js';
import { RuleItem } from './rule-item.js';
import { WebhookSecret } from './webhook-secret.js';

/** The alert rules: each one on or off, deleted, its deliveries; and a form for a new one. */
export function RulesSection({ onError }: { onError: (error: unknown) => void }) {
  const [rules, setRules] = useState<AlertRule[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [secret, setSecret] = useState<{ ruleName: string; secret: string } | null>(null);
  const fail = reportProblem(setProblem, onError);
  useEffect(() => {
    getRules().then((answer) => setRules(answer.rules), fail);
  }, []);
  const replace = (rule: AlertRule) => setRules((shown) => shown && shown.map((r) => (r.ruleId === rule.ruleId ? rule : r)));
  const setEnabled = (ruleId: number, enabled: boolean) =>
    changeRule(ruleId, { enabled }).then(({ rule }) => (setProblem(null), replace(rule)), fail);
  const remove = (ruleId: number) =>
    deleteRule(ruleId).then(() => (setProblem(null), setRules((shown) => shown && shown.filter((r) => r.ruleId !== ruleId))), fail);
  return (
    <section class="rules" aria-labelledby="rules-title">
      <h2 id="rules-title">Alert rules</h2>
      {problem !== null && (
        <p role="alert" class="error-text">
          {problem}
        </p>
      )}
      {rules !== null && rules.length === 0 && <p class="muted">No rule yet: create one below.</p>}
      <ul class="rule-list">
        {rules?.map((rule) => (
          <RuleItem key={rule.ruleId} rule={rule} setEnabled={(enabled) => void setEnabled(rule.ruleId, enabled)} remove={() => void remove(rule.ruleId)} onError={onError} />
        ))}
      </ul>
      {secret !== null && <WebhookSecret ruleName={secret.ruleName} secret={secret.secret} onDone={() => setSecret(null)} />}
      <h3>New rule</h3>
      <RuleForm
        onCreated={(rule, webhookSecret) => {
          setRules((shown) => [...(shown ?? []), rule]);
          setSecret(webhookSecret === null ? null : { ruleName: rule.name, secret: webhookSecret });
        }}
        onError={onError}
      />
    </section>
  );
}
