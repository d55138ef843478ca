/** A JSON value as the overview shows it: strings as they are, numbers written out, anything else none. */
export const asText = (value: unknown) => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null);

/**
 * A navigation's step (`to`, else `currentStep`) and its name (`toStepName`, else
 * `stepName`), as text: for the SQLite writer and the dashboard's timeline. PostgreSQL's
 * trigger and the migrations' backfills say the same in SQL (session_log_json_text).
 */
export function navigationStep(data: Record<string, unknown>): { step: string | null; stepName: string | null } {
  return { step: asText(data.to ?? data.currentStep), stepName: asText(data.toStepName ?? data.stepName) };
}
