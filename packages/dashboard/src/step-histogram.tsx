import type { StepRow } from './api.js';
import { duration } from './format.js';

/** Where the class is: active sessions per step, with the class's median time on each. */
export function StepHistogram({ steps }: { steps: StepRow[] }) {
  if (steps.length === 0) return null;
  const most = Math.max(1, ...steps.map((s) => s.sessions));
  const width = 100 / steps.length;
  return (
    <figure class="histogram">
      <svg viewBox="0 0 100 40" preserveAspectRatio="none" role="img" aria-label="Sessions per step">
        {steps.map((step, i) => (
          <rect key={step.step} x={i * width + width * 0.1} width={width * 0.8} y={40 - (step.sessions / most) * 38} height={(step.sessions / most) * 38}>
            <title>{`${step.stepName ?? step.step}: ${step.sessions} session(s)`}</title>
          </rect>
        ))}
      </svg>
      <div class="histogram-labels" style={{ gridTemplateColumns: `repeat(${steps.length}, 1fr)` }}>
        {steps.map((step) => (
          <div key={step.step}>
            <strong>{step.sessions}</strong> on {step.step}
            <div class="muted small">{step.stepName ?? ''}</div>
            <div class="muted small">{step.medianSeconds === null ? 'no median yet' : `median ${duration(step.medianSeconds)}`}</div>
          </div>
        ))}
      </div>
    </figure>
  );
}
