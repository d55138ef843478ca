import { useEffect } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useWidth } from '../use-width.js';

/** A colour of the page's theme (a CSS custom property on the chart), read when uPlot draws: canvas strokes cannot use var(). */
export const themeColour = (name: string) => (chart: uPlot) => getComputedStyle(chart.root).getPropertyValue(name).trim();

/**
 * A uPlot chart of `data`: as wide as its box (or `width` px), drawn again when the
 * options, the data or the width change. Memoise `options` and `data` in the caller.
 * Example: `<UplotChart options={{ height: 120, series: [{}, { stroke: themeColour('--accent') }] }} data={[xs, ys]} label="Students per step" />`
 */
export function UplotChart({ options, data, label, width }: { options: Omit<uPlot.Options, 'width'>; data: uPlot.AlignedData; label: string; width?: number }) {
  const [ref, measured] = useWidth<HTMLDivElement>();
  const drawnWidth = width ?? measured;
  useEffect(() => {
    if (ref.current === null || drawnWidth === 0) return;
    const chart = new uPlot({ ...options, width: drawnWidth }, data, ref.current);
    return () => chart.destroy();
  }, [options, data, drawnWidth]);
  return <div ref={ref} class="chart" role="img" aria-label={label} />;
}
