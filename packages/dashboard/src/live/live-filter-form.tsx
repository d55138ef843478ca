import { parseFilters } from '../data-filters.js';
import { DataFilterField, EventFilterFields } from '../filter-fields.js';

/** The stream's filters, as the URL keeps them. */
export const LIVE_FIELDS = ['sessionToken', 'studentEmail', 'eventType'] as const;

/** The live view's filters (those of the query API); submitting puts them in the page's URL. */
export function LiveFilterForm({ query, apply, onProblem }: { query: URLSearchParams; apply: (next: URLSearchParams) => void; onProblem: (message: string) => void }) {
  const submit = (event: Event) => {
    event.preventDefault();
    const next = new URLSearchParams({ view: 'live' });
    for (const [key, value] of new FormData(event.currentTarget as HTMLFormElement)) if (typeof value === 'string' && value.trim() !== '') next.set(key, value.trim());
    try {
      parseFilters(next.get('filters') ?? '');
    } catch (error) {
      return onProblem(error instanceof Error ? error.message : String(error));
    }
    apply(next);
  };
  return (
    // Keyed by the query: after Back, the fields show the filters the URL holds.
    <form class="search" key={query.toString()} onSubmit={submit} aria-label="Live filters">
      <EventFilterFields query={query} />
      <DataFilterField query={query} />
      <button type="submit">Follow</button>
    </form>
  );
}
