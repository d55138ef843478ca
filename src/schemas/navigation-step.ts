/** A JSON value as the overview shows it: strings as they are, numbers written out, anything else none. */
export const asText = (value: unknown) => (typeof value === 'string' ? value : typeof value === 'number' ? decimal(value) : null);

/**
 * A number in plain decimal, as PostgreSQL writes a JSON number out (1e21 as
 * 1000000000000000000000, 1.5e-7 as 0.00000015), so that both engines name a step alike.
 */
function decimal(value: number): string {
  const text = String(value);
  const exponential = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (exponential === null) return text;
  const [, sign, first, rest = '', exponent] = exponential;
  const digits = `${first}${rest}`;
  const point = 1 + Number(exponent);
  return point <= 0 ? `${sign}0.${'0'.repeat(-point)}${digits}` : `${sign}${digits.padEnd(point, '0')}`;
}

/** "step 2 · Provision Services", from what is known of a step; null when nothing is. */
export function stepLabel(step: string | null, stepName: string | null): string | null {
  if (step === null && stepName === null) return null;
  return [step === null ? null : `step ${step}`, stepName].filter((part) => part !== null).join(' · ');
}

/**
 * A navigation's step (`to`, else `currentStep`) and its name (`toStepName`, else
 * `stepName`), as text: for the SQLite writer and the dashboard's timeline. PostgreSQL's
 * trigger and the migrations' backfills say the same in SQL (session_log_json_text).
 */
export function navigationStep(data: Record<string, unknown>): { step: string | null; stepName: string | null } {
  return { step: asText(data.to ?? data.currentStep), stepName: asText(data.toStepName ?? data.stepName) };
}
