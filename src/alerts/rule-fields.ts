import { randomBytes } from 'node:crypto';
import { BadRequestError } from '../errors.js';
import { toEventFilter } from '../query/event-query.js';
import type { RuleChange, RuleInput } from './alert-schemas.js';
import type { RuleFields, StoredRule } from './alert-store.js';
import { checkWebhookUrl, resolveWebhookTarget, WebhookTargetError } from './webhook-url.js';

const DEFAULT_COOLDOWN_MINUTES = 10;

/**
 * A rule as the API received it, checked beyond what its schema says (what a kind
 * requires, filters the query API would take, a webhook URL that is not private) and with
 * its defaults; refused with a 400 naming the field, before anything is stored.
 */
export async function ruleFields(
  input: RuleInput,
  options: { allowPrivateWebhooks: boolean; secret: string | null; checkedUrl?: string | null },
): Promise<RuleFields> {
  const classWide = input.kind === 'class_wide';
  for (const field of ['minEvents', 'minStudents', 'windowMinutes'] as const) {
    if (classWide && input[field] === undefined) throw invalid(field, `is required for a class_wide rule`);
    if (!classWide && input[field] !== undefined) throw invalid(field, `applies to class_wide rules only`);
  }
  if (input.kind !== 'stuck' && input.statuses !== undefined) throw invalid('statuses', 'applies to stuck rules only');
  if (input.kind === 'stuck' && input.filters !== undefined) throw invalid('filters', 'do not apply to stuck rules (they follow the class overview)');
  // The same parse as a query's: a value only refused once decoded (1e400, a NUL) is refused here too.
  toEventFilter(input.filters ?? {});
  const webhookUrl = input.webhookUrl ?? null;
  // A URL already checked (a rule being disabled) is not resolved again: its host may be down.
  if (webhookUrl !== null && webhookUrl !== options.checkedUrl) await checkWebhook(webhookUrl, options.allowPrivateWebhooks);
  return {
    name: input.name,
    kind: input.kind,
    filters: input.filters ?? {},
    minEvents: input.minEvents ?? null,
    minStudents: input.minStudents ?? null,
    windowMinutes: input.windowMinutes ?? null,
    statuses: input.kind === 'stuck' ? (input.statuses ?? ['stuck', 'asked_for_help']) : null,
    cooldownMinutes: input.cooldownMinutes ?? DEFAULT_COOLDOWN_MINUTES,
    webhookUrl,
    webhookSecret: webhookUrl === null ? null : (options.secret ?? newWebhookSecret()),
    enabled: input.enabled ?? true,
  };
}

/** A stored rule with a change applied, checked as a new rule would be; its secret is kept. */
export function changedRuleFields(rule: StoredRule, change: RuleChange, allowPrivateWebhooks: boolean): Promise<RuleFields> {
  const current: RuleInput = {
    name: rule.name,
    kind: rule.kind,
    ...(rule.kind === 'stuck' ? { statuses: rule.statuses ?? undefined } : { filters: rule.filters }),
    ...(rule.kind === 'class_wide' ? { minEvents: rule.minEvents ?? 1, minStudents: rule.minStudents ?? 1, windowMinutes: rule.windowMinutes ?? 1 } : {}),
    cooldownMinutes: rule.cooldownMinutes,
    webhookUrl: rule.webhookUrl,
    enabled: rule.enabled,
  };
  return ruleFields({ ...current, ...change }, { allowPrivateWebhooks, secret: rule.webhookSecret, checkedUrl: rule.webhookUrl });
}

/** 32 random bytes: the key of the rule's webhook signatures. */
const newWebhookSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

async function checkWebhook(url: string, allowPrivate: boolean): Promise<void> {
  const problem = checkWebhookUrl(url);
  if (problem !== null) throw invalid('webhookUrl', problem);
  try {
    await resolveWebhookTarget(url, { allowPrivate });
  } catch (error) {
    if (error instanceof WebhookTargetError) throw new BadRequestError('invalid_webhook', `body/webhookUrl: ${error.message}`);
    throw error;
  }
}

const invalid = (field: string, problem: string) => new BadRequestError('invalid_request', `body/${field} ${problem}`);
