import { useMemo } from 'preact/hooks';
import uPlot from 'uplot';
import type { FunnelStep } from './analytics-api.js';
import { stepLabel } from './step-label.js';
import { themeColour, UplotChart } from './uplot-chart.js';

const bars = uPlot.paths.bars?.({ size: [0.6, 80] });

/** A step on the chart's axis: its number, short enough for many steps side by side (the table names them). */
const tick = (step: FunnelStep) => step.step ?? step.stepName ?? '—';

/** Students who reached each step, in step order: one bar per step. */
export function FunnelChart({ steps }: { steps: FunnelStep[] }) {
  const options = useMemo(
    (): Omit<uPlot.Options, 'width'> => ({
      height: 180,
      legend: { show: false },
      cursor: { show: false },
      select: { show: false, left: 0, top: 0, width: 0, height: 0 },
      scales: { x: { time: false, range: [-0.5, steps.length - 0.5] }, y: { range: (_chart, _min, max) => [0, Math.max(1, max)] } },
      axes: [
        { label: 'Step', stroke: themeColour('--muted'), grid: { show: false }, splits: () => steps.map((_, i) => i), values: (_chart, splits) => splits.map((i) => (steps[i] ? tick(steps[i]) : '')) },
        { label: 'Students', stroke: themeColour('--muted'), grid: { stroke: themeColour('--line') }, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] },
      ],
      series: [{}, { label: 'Reached', stroke: themeColour('--accent'), fill: themeColour('--accent'), paths: bars, points: { show: false } }],
    }),
    [steps],
  );
  const data = useMemo((): uPlot.AlignedData => [steps.map((_, i) => i), steps.map((step) => step.reached)], [steps]);
  const label = `Students who reached each step: ${steps.map((step) => `${stepLabel(step)}, ${step.reached}`).join('; ')}`;
  return <UplotChart options={options} data={data} label={label} />;
}
