import { useState } from 'preact/hooks';
import { messageOf } from '../format.js';
import { apiFilters } from '../data-filters.js';
import { EventTypeInput } from '../event-type-input.js';
import { DataFilterField } from '../filter-fields.js';
import { createRule, type AlertRule, type RuleInput } from './alerts-api.js';
import { reportProblem } from './report-problem.js';

type Kind = RuleInput['kind'];
type Statuses = NonNullable<RuleInput['statuses']>;

const KINDS: Array<{ kind: Kind; label: string }> = [
  { kind: 'match', label: 'an event matches' },
  { kind: 'class_wide', label: 'many students hit the same thing' },
  { kind: 'stuck', label: 'a student is stuck or asks for help' },
];

/** The form's filter fields as the rule's filters, in query-string form: {"eventType":"error","data.statusCode":"gte:500"}. */
function ruleFilters(form: FormData): Record<string, string | string[]> {
  const query = apiFilters(new URLSearchParams({ eventType: text(form, 'eventType'), filters: text(form, 'filters') }), ['eventType']);
  // The same field twice is a range (status=gte:400, status=lt:500): a list of conditions.
  return Object.fromEntries([...new Set(query.keys())].map((key) => {
    const values = query.getAll(key);
    return [key, values.length === 1 ? (values[0] ?? '') : values];
  }));
}

const text = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === 'string' ? value.trim() : '';
};
const whole = (form: FormData, name: string) => Number(text(form, name));

/** The rule the form describes; throws on a mistyped data filter. */
function ruleInput(form: FormData, kind: Kind): RuleInput {
  const input: RuleInput = { name: text(form, 'name'), kind, cooldownMinutes: whole(form, 'cooldownMinutes') };
  const webhookUrl = text(form, 'webhookUrl');
  if (webhookUrl !== '') input.webhookUrl = webhookUrl;
  if (kind === 'stuck') input.statuses = form.getAll('statuses').filter((value) => typeof value === 'string') as Statuses;
  else input.filters = ruleFilters(form);
  if (kind === 'class_wide') Object.assign(input, { minEvents: whole(form, 'minEvents'), minStudents: whole(form, 'minStudents'), windowMinutes: whole(form, 'windowMinutes') });
  return input;
}

/** A new rule, with the fields its kind takes; the service's refusal shown beside it. */
export function RuleForm({ onCreated, onError }: { onCreated: (rule: AlertRule, webhookSecret: string | null) => void; onError: (error: unknown) => void }) {
  const [kind, setKind] = useState<Kind>('stuck');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Bumped after each rule created: a fresh form (the kind chosen stays).
  const [created, setCreated] = useState(0);
  const submit = (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    let input: RuleInput;
    try {
      input = ruleInput(new FormData(form), kind);
    } catch (error) {
      return setProblem(messageOf(error));
    }
    setBusy(true);
    createRule(input)
      .then(({ rule, webhookSecret }) => {
        setProblem(null);
        setCreated((n) => n + 1);
        onCreated(rule, webhookSecret);
      }, reportProblem(setProblem, onError))
      .finally(() => setBusy(false));
  };
  return (
    <form class="search rule-form" key={created} onSubmit={submit} aria-label="New alert rule">
      <label>
        Name <input name="name" required maxLength={100} placeholder="Twilio deploys failing" />
      </label>
      <label>
        Alert when
        <select name="kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as Kind)}>
          {KINDS.map((k) => (
            <option key={k.kind} value={k.kind}>
              {k.label}
            </option>
          ))}
        </select>
      </label>
      {kind === 'stuck' ? (
        <fieldset>
          <legend>Statuses</legend>
          <label class="inline">
            <input type="checkbox" name="statuses" value="stuck" defaultChecked /> stuck
          </label>
          <label class="inline">
            <input type="checkbox" name="statuses" value="asked_for_help" defaultChecked /> asked for help
          </label>
        </fieldset>
      ) : (
        <label>
          Event type
          <EventTypeInput defaultValue="error" />
        </label>
      )}
      {kind !== 'stuck' && (
        <DataFilterField query={new URLSearchParams()} />
      )}
      {kind === 'class_wide' && (
        <>
          <label>
            At least this many events <input name="minEvents" type="number" min={1} required defaultValue="5" />
          </label>
          <label>
            from at least this many students <input name="minStudents" type="number" min={1} required defaultValue="3" />
          </label>
          <label>
            within (minutes) <input name="windowMinutes" type="number" min={1} max={1440} required defaultValue="5" />
          </label>
        </>
      )}
      <label>
        Quiet for (minutes) after an alert <input name="cooldownMinutes" type="number" min={0} max={1440} required defaultValue="10" />
      </label>
      <label class="wide">
        Webhook URL (optional: each alert is POSTed there, Slack-compatible) <input name="webhookUrl" type="url" placeholder="https://hooks.slack.com/…" />
      </label>
      <button type="submit" disabled={busy}>
        Create rule
      </button>
      {problem !== null && (
        <p role="alert" class="error-text wide">
          {problem}
        </p>
      )}
    </form>
  );
}
