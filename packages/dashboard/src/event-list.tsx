import { useEffect, useRef, useState } from 'preact/hooks';
import type { StoredEvent } from './api.js';
import { eventSummary, isFailure } from './event-summary.js';
import { timeOfDay } from './format.js';
import { Link, timelineOf } from './navigation.js';

/**
 * Events in the order given, filterable by type; each one's data expands as text, and with
 * `showSession` each names its student and links to their timeline. The `focus`
 * event (e.g. the latest error) starts open, marked and scrolled into view.
 */
export function EventList({ events, showSession = false, focus }: { events: StoredEvent[]; showSession?: boolean; focus?: number }) {
  const focused = useRef<HTMLLIElement>(null);
  useEffect(() => {
    const item = focused.current;
    const list = item?.parentElement;
    if (item == null || list == null) return;
    // A third down the list's own scroll box (what led to it above, its data and what followed
    // below), then the box into view, scrolling the page as little as needed: the timeline stays in sight.
    list.scrollTop += item.getBoundingClientRect().top - list.getBoundingClientRect().top - list.clientHeight / 3;
    item.scrollIntoView({ block: 'nearest' });
  }, [focus]);
  const types = [...new Set(events.map((e) => e.event_type))].sort();
  const [hidden, setHidden] = useState<Set<string>>(new Set());
  const toggle = (type: string) => setHidden((now) => (now.has(type) ? new Set([...now].filter((t) => t !== type)) : new Set([...now, type])));
  const only = (type: string) => setHidden(new Set(types.filter((t) => t !== type)));
  const shown = events.filter((e) => !hidden.has(e.event_type));
  return (
    <section class="events">
      <div class="chips" role="group" aria-label="Filter by event type">
        {types.map((type) => (
          <button key={type} type="button" class={`chip type-${type}`} aria-pressed={!hidden.has(type)} onClick={() => toggle(type)} onDblClick={() => only(type)}>
            {type} ({events.filter((e) => e.event_type === type).length})
          </button>
        ))}
        {types.includes('error') && (
          <button type="button" class="chip" onClick={() => only('error')}>
            errors only
          </button>
        )}
        {hidden.size > 0 && (
          <button type="button" class="chip" onClick={() => setHidden(new Set())}>
            show all
          </button>
        )}
      </div>
      <ol class="event-list">
        {shown.map((event) => (
          <li key={event.event_id} ref={event.event_id === focus ? focused : undefined} class={`${isFailure(event) ? 'failure' : ''}${event.event_id === focus ? ' focus' : ''}`}>
            <details open={event.event_id === focus}>
              <summary>
                <time dateTime={event.created_at}>{timeOfDay(event.created_at)}</time>
                <span class={`badge type-${event.event_type}`}>{event.event_type}</span>
                {showSession && <code class="muted">{event.student_email ?? event.session_token}</code>}
                {showSession && (
                  <Link to={timelineOf(event.session_token)} class="timeline-link">
                    timeline
                  </Link>
                )}
                <span class="summary">{eventSummary(event)}</span>
              </summary>
              <pre>{JSON.stringify(event.event_data, null, 2)}</pre>
            </details>
          </li>
        ))}
      </ol>
    </section>
  );
}
