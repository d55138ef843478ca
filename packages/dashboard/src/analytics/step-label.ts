/** A step as the dashboard names it elsewhere: "2 · Provision Services"; "no step" for events before any navigation. */
export function stepLabel(step: { step: string | null; stepName: string | null }): string {
  if (step.step === null) return step.stepName ?? 'no step';
  return step.stepName === null ? step.step : `${step.step} · ${step.stepName}`;
}
