import { useEffect, useRef, useState } from 'preact/hooks';
import { messageOf } from './format.js';
import { getEvents, type StoredEvent } from './api.js';
import { apiFilters, formQuery } from './data-filters.js';
import { EventList } from './event-list.js';
import { ExportButtons } from './export-buttons.js';
import { DataFilterField, EventFilterFields } from './filter-fields.js';
import { copyInstants, localInput } from './local-time.js';

/** A form over GET /api/session-log; the query lives in the page's URL, so it can be shared. */
export function Search({ query, setQuery, onError }: { query: URLSearchParams; setQuery: (query: URLSearchParams) => void; onError: (error: unknown) => void }) {
  const [events, setEvents] = useState<StoredEvent[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  // Each search counts one up: an answer for an earlier search (or its next page) is dropped.
  const searchNumber = useRef(0);
  const apiQuery = () => {
    const api = searchFilters(query);
    const order = query.get('order');
    if (order) api.set('order', order);
    api.set('limit', '100');
    return api;
  };
  const load = (cursor: string | null, search: number) => {
    const api = apiQuery();
    if (cursor !== null) api.set('cursor', cursor);
    setLoading(true);
    getEvents(api).then(
      (page) => {
        if (search !== searchNumber.current) return;
        setEvents((shown) => (cursor === null ? page.events : [...shown, ...page.events]));
        setNext(page.hasMore ? page.nextCursor : null);
        setLoading(false);
      },
      (error: unknown) => {
        if (search !== searchNumber.current) return;
        setLoading(false);
        onError(error);
      },
    );
  };
  useEffect(() => {
    const search = ++searchNumber.current;
    setEvents([]);
    setNext(null);
    setLoading(false);
    setProblem(null);
    if (![...query.keys()].some((key) => key !== 'view')) return;
    try {
      load(null, search);
    } catch (error) {
      setProblem(messageOf(error));
    }
  }, [query.toString()]);
  const submit = (event: Event) => {
    event.preventDefault();
    let next: URLSearchParams;
    try {
      next = formQuery(event.currentTarget as HTMLFormElement, 'search');
    } catch (error) {
      setProblem(messageOf(error));
      return;
    }
    setQuery(copyInstants(next, next));
  };
  return (
    <section>
      <h2>Search events</h2>
      {/* Keyed by the query: going Back, or to an empty search, shows the fields the URL holds. */}
      <form class="search" key={query.toString()} onSubmit={submit}>
        <EventFilterFields query={query} />
        <label>
          Since <input name="since" type="datetime-local" step="1" defaultValue={localInput(query.get('since'))} />
        </label>
        <label>
          Until <input name="until" type="datetime-local" step="1" defaultValue={localInput(query.get('until'))} />
        </label>
        <label>
          Order
          <select name="order" defaultValue={query.get('order') ?? 'desc'}>
            <option value="desc">newest first</option>
            <option value="asc">oldest first</option>
          </select>
        </label>
        <DataFilterField query={query} />
        <button type="submit">Search</button>
      </form>
      {problem !== null && (
        <p role="alert" class="error-text">
          {problem}
        </p>
      )}
      {events.length > 0 && <SearchExport query={query} />}
      <EventList events={events} showSession />
      {next !== null && (
        <button type="button" disabled={loading} onClick={() => load(next, searchNumber.current)}>
          {loading ? 'Loading…' : 'Load more'}
        </button>
      )}
    </section>
  );
}

/** The search's filters from the URL as the query API takes them (no order, no page size); throws on a mistyped data filter. */
function searchFilters(query: URLSearchParams): URLSearchParams {
  return copyInstants(query, apiFilters(query, ['sessionToken', 'studentEmail', 'eventType']));
}

/** Every event the search finds, not just the pages shown, oldest first (the export's order: a file reads in time). */
function SearchExport({ query }: { query: URLSearchParams }) {
  let filters: URLSearchParams;
  try {
    filters = searchFilters(query);
  } catch {
    // A mistyped data filter is reported beside the form; there is nothing to export.
    return null;
  }
  return (
    <p class="toolbar">
      <ExportButtons filters={filters} what="these results" />
    </p>
  );
}
