import { useMemo, useState } from 'preact/hooks';
import { fullTime, messageOf } from '../format.js';
import { ApiFailures } from './api-failures.js';
import { reportQuery } from './analytics-window.js';
import { ErrorPatterns } from './error-patterns.js';
import { StepFunnel } from './step-funnel.js';
import { WindowPicker } from './window-picker.js';

export interface AnalyticsViewProps {
  query: URLSearchParams;
  setQuery: (query: URLSearchParams) => void;
  onError: (error: unknown) => void;
}

/** The page's URL as the reports' query, or the mistake that keeps it from being one. */
function reports(query: URLSearchParams, now: number): { api: URLSearchParams | null; problem: string | null } {
  try {
    return { api: reportQuery(query, now), problem: null };
  } catch (error) {
    return { api: null, problem: messageOf(error) };
  }
}

/** Class-wide analytics over a window: the errors and failed API calls that recur, and how far students got. */
export function AnalyticsView({ query, setQuery, onError }: AnalyticsViewProps) {
  const [formProblem, setFormProblem] = useState<string | null>(null);
  // A recent window ends when it is shown, or refreshed: not at each render.
  const [refreshes, setRefreshes] = useState(0);
  const { api, problem } = useMemo(() => reports(query, Date.now()), [query.toString(), refreshes]);
  const shownProblem = formProblem ?? problem;
  const since = api?.get('since');
  const until = api?.get('until') ?? '';
  return (
    <section class="analytics">
      <h2>Analytics</h2>
      <WindowPicker
        key={query.toString()}
        query={query}
        apply={(next) => {
          setFormProblem(null);
          setQuery(next);
        }}
        onProblem={setFormProblem}
      />
      {shownProblem !== null && (
        <p role="alert" class="error-text">
          {shownProblem}
        </p>
      )}
      {api !== null && (
        <>
          <p class="toolbar">
            <button type="button" onClick={() => setRefreshes(refreshes + 1)}>
              Refresh
            </button>
            <span class="muted">
              {since == null ? 'The 24 h' : `From ${fullTime(since)}`} to {fullTime(until)}
            </span>
          </p>
          <ErrorPatterns query={api} onError={onError} />
          <ApiFailures query={api} onError={onError} />
          <StepFunnel query={api} onError={onError} />
        </>
      )}
    </section>
  );
}
