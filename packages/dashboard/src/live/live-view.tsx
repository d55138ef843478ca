import { useState } from 'preact/hooks';
import { messageOf } from '../format.js';
import { apiFilters } from '../data-filters.js';
import { EventList } from '../event-list.js';
import { LIVE_FIELDS, LiveFilterForm } from './live-filter-form.js';
import { TAIL_MAX, useLiveTail } from './use-live-tail.js';

/** The stream's query from the page's URL, or the mistake that keeps it from being one. */
function streamFilters(query: URLSearchParams): { filters: string | null; problem: string | null } {
  try {
    return { filters: apiFilters(query, LIVE_FIELDS).toString(), problem: null };
  } catch (error) {
    return { filters: null, problem: messageOf(error) };
  }
}

/** The live tail: events as they arrive, filtered like a search, newest first; pause to read. */
export function LiveView({ query, setQuery, onError }: { query: URLSearchParams; setQuery: (query: URLSearchParams) => void; onError: (error: unknown) => void }) {
  const [paused, setPaused] = useState(false);
  const [formProblem, setFormProblem] = useState<string | null>(null);
  const { filters, problem } = streamFilters(query);
  const tail = useLiveTail(filters, paused, onError);
  const shownProblem = formProblem ?? problem ?? tail.refusal;
  return (
    <section class="live" data-state={tail.state ?? undefined}>
      <h2>Live events</h2>
      <LiveFilterForm
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
      <p class="toolbar">
        <button type="button" onClick={() => setPaused(!paused)}>
          {paused ? 'Resume' : 'Pause'}
        </button>
        <button type="button" onClick={() => tail.clear()} disabled={tail.events.length === 0}>
          Clear
        </button>
        <span class="muted">
          {paused ? `Paused: ${tail.held} new event${tail.held === 1 ? '' : 's'} held. ` : ''}
          {tail.events.length === 0 ? 'Waiting for events…' : `${tail.events.length} shown, newest first (the latest ${TAIL_MAX} are kept).`}
        </span>
      </p>
      <EventList events={tail.events} showSession />
    </section>
  );
}
