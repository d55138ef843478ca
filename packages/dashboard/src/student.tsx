import { useEffect, useState } from 'preact/hooks';
import { EventList } from './event-list.js';
import { ExportButtons } from './export-buttons.js';
import { fullTime } from './format.js';
import { useSessionEvents } from './live/use-session-events.js';
import { Timeline } from './timeline.js';

/** One session: its progression across steps, then every event, with copy and export. */
export function Student({ sessionToken, onError }: { sessionToken: string; onError: (error: unknown) => void }) {
  const shown = useSessionEvents(sessionToken, onError);
  const [copied, setCopied] = useState(false);
  useEffect(() => setCopied(false), [sessionToken]);
  if (shown === null) return <p class="muted">Loading {sessionToken}…</p>;
  const { events, complete, focus } = shown;
  const student = events.find((e) => e.student_email !== null);
  return (
    <section class="student">
      <h2>
        {student?.student_name ?? student?.student_email ?? 'Anonymous session'}{' '}
        <span class="muted">{student?.student_name != null ? `· ${student.student_email ?? ''}` : ''}</span>
      </h2>
      <p class="toolbar">
        <code>{sessionToken}</code>
        {'clipboard' in navigator && (
          <button type="button" onClick={() => void navigator.clipboard.writeText(sessionToken).then(() => setCopied(true))}>
            {copied ? 'Copied' : 'Copy token'}
          </button>
        )}
        <ExportButtons filters={new URLSearchParams({ sessionToken })} what="this session" />
        {events.length > 0 && (
          <span class="muted">
            {complete ? '' : 'the latest '}
            {events.length} events since {fullTime(events[0]?.created_at ?? '')}
          </span>
        )}
      </p>
      {events.length === 0 ? <p class="muted">No events for this session.</p> : <Timeline events={events} now={Date.now()} />}
      <EventList events={events} focus={focus} />
    </section>
  );
}
