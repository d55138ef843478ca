import { stringify, type Stringifier } from 'csv-stringify';
import { problemFact } from '../analytics/problem-facts.js';
import type { StoredEvent } from '../storage/types.js';

/** The top-level event_data fields of the spec's five event types, one column each. */
export const SPEC_DATA_FIELDS = [
  'from',
  'to',
  'fromStepName',
  'toStepName',
  'currentStep',
  'stepName',
  'demoMode',
  'userAgent',
  'timestamp',
  'errorType',
  'errorMessage',
  'statusCode',
  'actionName',
  'validated',
  'endpoint',
  'method',
  'status',
  'success',
  'stateName',
  'oldValue',
  'newValue',
] as const;

const EVENT_COLUMNS = ['event_id', 'created_at', 'session_token', 'student_email', 'student_name', 'event_type', 'seq'] as const;

/** The header row: the event's columns, the spec's data fields, the error's pattern, the whole JSON. */
export const CSV_COLUMNS = [...EVENT_COLUMNS, ...SPEC_DATA_FIELDS, 'error_pattern', 'event_data'];

/**
 * A CSV encoder for events. Numbers stay numbers; booleans are true/false; nested values
 * are JSON. Text that a spreadsheet would run as a formula (=, +, -, @, tab, CR: the
 * library's escape_formulas; NUL: here) is prefixed with a quote, as OWASP advises.
 */
export function csvEncoder(): Stringifier {
  return stringify({
    header: true,
    columns: CSV_COLUMNS,
    escape_formulas: true,
    cast: { boolean: (value) => String(value), object: (value) => JSON.stringify(value) },
  });
}

/** One event as the CSV's record, in CSV_COLUMNS' order. */
export function csvRecord(event: StoredEvent): unknown[] {
  const data = event.event_data;
  const pattern = event.event_type === 'error' ? (problemFact('error', data)?.pattern ?? null) : null;
  return [
    ...EVENT_COLUMNS.map((column) => event[column]),
    ...SPEC_DATA_FIELDS.map((field) => data[field]),
    pattern,
    JSON.stringify(event.event_data),
  ].map(withoutLeadingNul);
}

/** csv-stringify leaves a leading NUL alone, which some spreadsheets drop to reveal a formula. */
const withoutLeadingNul = (value: unknown) => (typeof value === 'string' && value.startsWith('\0') ? `'${value}` : value);
