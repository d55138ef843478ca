import { formQuery } from '../data-filters.js';
import { messageOf } from '../format.js';
import { DataFilterField, EventFilterFields } from '../filter-fields.js';

/** The stream's filters, as the URL keeps them. */
export const LIVE_FIELDS = ['sessionToken', 'studentEmail', 'eventType'] as const;

/** The live view's filters (those of the query API); submitting puts them in the page's URL. */
export function LiveFilterForm({ query, apply, onProblem }: { query: URLSearchParams; apply: (next: URLSearchParams) => void; onProblem: (message: string) => void }) {
  const submit = (event: Event) => {
    event.preventDefault();
    try {
      apply(formQuery(event.currentTarget as HTMLFormElement, 'live'));
    } catch (error) {
      onProblem(messageOf(error));
    }
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
