import type { AlertRule } from './alerts-api.js';

const STATUS_WORDS: Record<string, string> = { stuck: 'stuck', asked_for_help: 'asking for help' };

/** What a rule alerts on, in words: "5 events (eventType=error) from 3 students within 10 min". */
export function ruleCondition(rule: AlertRule): string {
  const filters = Object.entries(rule.filters)
    .flatMap(([field, value]) => (Array.isArray(value) ? value : [value]).map((v) => `${field}=${v}`))
    .join(', ');
  const matching = filters === '' ? 'any event' : `events matching ${filters}`;
  switch (rule.kind) {
    case 'match':
      return filters === '' ? 'every event' : `each event matching ${filters}`;
    case 'class_wide':
      return `${rule.minEvents ?? '?'} or more ${matching} from ${rule.minStudents ?? '?'} or more students within ${rule.windowMinutes ?? '?'} min`;
    case 'stuck':
      return `a student ${(rule.statuses ?? []).map((s) => STATUS_WORDS[s] ?? s).join(' or ')}`;
  }
}
