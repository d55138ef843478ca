import { useEffect, useState } from 'preact/hooks';
import type { AnalyticsView, AnalyticsViewProps } from './analytics-view.js';

/** The Analytics view, its code and uPlot fetched when it is first opened: the other views load without them. */
export function LazyAnalyticsView(props: AnalyticsViewProps) {
  const [View, setView] = useState<typeof AnalyticsView | null>(null);
  useEffect(() => {
    import('./analytics-view.js').then((loaded) => setView(() => loaded.AnalyticsView), props.onError);
  }, []);
  return View === null ? <p class="muted">Loading analytics…</p> : <View {...props} />;
}
