/** A step as the analytics routes name it. */
export interface StepRef {
  step: string | null;
  stepName: string | null;
}

/** `2 Provision Services`, `2`, `Provision Services`, or `(no step)`. */
export function stepLabel({ step, stepName }: StepRef): string {
  return [step, stepName].filter((part) => part !== null && part !== '').join(' ') || '(no step)';
}

/** The steps where a pattern happened, most first: `2 (90), 3 (7), +2 more`. */
export function stepCounts(steps: Array<StepRef & { count: number }>, shown = 3): string {
  const listed = steps.slice(0, shown).map((step) => `${step.step ?? step.stepName ?? 'none'} (${step.count})`);
  if (steps.length > shown) listed.push(`+${steps.length - shown} more`);
  return listed.join(', ') || '-';
}

/** `45s`, `5m 12s`, `1h 03m`; `-` when unknown. */
export function duration(seconds: number | null): string {
  if (seconds === null) return '-';
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole}s`;
  if (whole < 3600) return `${Math.floor(whole / 60)}m ${String(whole % 60).padStart(2, '0')}s`;
  return `${Math.floor(whole / 3600)}h ${String(Math.floor((whole % 3600) / 60)).padStart(2, '0')}m`;
}

/** `from 2026-03-02T09:00:00.000Z to 2026-03-02T12:00:00.000Z`. */
export const windowText = (window: { since: string; until: string }): string => `from ${window.since} to ${window.until}`;

/** `1 student`, `3 students`. */
export const plural = (count: number, noun: string): string => `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`;
