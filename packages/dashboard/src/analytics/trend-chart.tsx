import { useMemo } from 'preact/hooks';
import type uPlot from 'uplot';
import { duration } from '../format.js';
import type { ReportWindow } from './analytics-api.js';
import { themeColour, UplotChart } from './uplot-chart.js';

const WIDTH = 120;
const HEIGHT = 32;

/** A sparkline: no axes, legend or cursor; the row beside it says what it counts. */
const SPARKLINE: Omit<uPlot.Options, 'width'> = {
  height: HEIGHT,
  padding: [3, 2, 1, 2],
  legend: { show: false },
  cursor: { show: false },
  select: { show: false, left: 0, top: 0, width: 0, height: 0 },
  scales: { x: { time: true }, y: { range: (_chart, _min, max) => [0, Math.max(1, max)] } },
  axes: [{ show: false }, { show: false }],
  series: [{}, { stroke: themeColour('--error'), fill: themeColour('--error-fill'), width: 1.5, points: { show: false } }],
};

/** How a group's count went over the window: its buckets, oldest first, as a small uPlot line. */
export function TrendChart({ trend, window }: { trend: number[]; window: ReportWindow }) {
  const data = useMemo((): uPlot.AlignedData => {
    const start = Date.parse(window.since) / 1000;
    return [trend.map((_, i) => start + i * window.bucketSeconds), trend];
  }, [trend, window]);
  return <UplotChart options={SPARKLINE} data={data} width={WIDTH} label={`Per ${duration(window.bucketSeconds)}, oldest first: ${trend.join(', ')}`} />;
}
