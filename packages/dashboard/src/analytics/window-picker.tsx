import { useState } from 'preact/hooks';
import { formQuery } from '../data-filters.js';
import { DataFilterField } from '../filter-fields.js';
import { messageOf } from '../format.js';
import { copyInstants, localInput } from '../local-time.js';
import { CUSTOM, WINDOWS, windowOf } from './analytics-window.js';

interface WindowPickerProps {
  query: URLSearchParams;
  apply: (next: URLSearchParams) => void;
  onProblem: (message: string) => void;
}

/** The reports' window (a recent one, or since–until) and workshop run; applying puts them in the page's URL. Key it by the query: after Back, it shows what the URL holds. */
export function WindowPicker({ query, apply, onProblem }: WindowPickerProps) {
  const [chosen, setChosen] = useState(windowOf(query));
  const custom = chosen === CUSTOM;
  const submit = (event: Event) => {
    event.preventDefault();
    try {
      const next = formQuery(event.currentTarget as HTMLFormElement, 'analytics');
      apply(copyInstants(next, next));
    } catch (error) {
      onProblem(messageOf(error));
    }
  };
  return (
    <form class="search" onSubmit={submit} aria-label="Analytics window">
      <label>
        Window
        <select name="window" value={chosen} onChange={(e) => setChosen(e.currentTarget.value)}>
          {WINDOWS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
          <option value={CUSTOM}>since – until</option>
        </select>
      </label>
      {/* Disabled fields are not submitted: a recent window keeps no stale dates in the URL. */}
      <label>
        Since <input name="since" type="datetime-local" step="1" disabled={!custom} required={custom} defaultValue={localInput(query.get('since'))} />
      </label>
      <label>
        Until <input name="until" type="datetime-local" step="1" disabled={!custom} defaultValue={localInput(query.get('until'))} />
      </label>
      <DataFilterField query={query}>
        Workshop run: only students who logged an event matching, one condition per line (<code>workshopId=spring-26</code>)
      </DataFilterField>
      <button type="submit">Show</button>
    </form>
  );
}
