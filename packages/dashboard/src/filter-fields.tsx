import type { ComponentChildren } from 'preact';
import { EventTypeInput } from './event-type-input.js';

/** The query API's who-and-what fields (session, student, type), filled from the URL's query. */
export function EventFilterFields({ query }: { query: URLSearchParams }) {
  return (
    <>
      <label>
        Session token <input name="sessionToken" defaultValue={query.get('sessionToken') ?? ''} placeholder="ws_…" />
      </label>
      <label>
        Student email <input name="studentEmail" type="email" defaultValue={query.get('studentEmail') ?? ''} />
      </label>
      <label>
        Event type
        <EventTypeInput defaultValue={query.get('eventType') ?? ''} />
      </label>
    </>
  );
}

/** The `event_data` conditions, one `field=[op:]value` per line (see data-filters.ts); `children`, when given, say what they select. */
export function DataFilterField({ query, children }: { query: URLSearchParams; children?: ComponentChildren }) {
  return (
    <label class="wide">
      <span>
        {children ?? (
          <>
            Event data filters, one per line (<code>status=gte:400</code>, <code>errorType=openai_validation_failed</code>)
          </>
        )}
      </span>
      <textarea name="filters" rows={2} defaultValue={query.get('filters') ?? ''} />
    </label>
  );
}
