import { problemFact } from '../../analytics/problem-facts.js';
import type { KnownStudent } from '../sql/bounded-cache.js';
import type { NewEvent } from '../types.js';

/**
 * A call of session_log_write_events (insert-events-function.ts: migration 010), as a named
 * statement: each connection parses and plans it once. The group goes as one JSON document
 * (absent keys are nulls), which the client writes and the server parses in one pass each.
 */
export function insertEventsStatement(
  events: readonly NewEvent[],
  known: ReadonlyMap<string, KnownStudent>,
  upserts: ReadonlyMap<string, string | null>,
) {
  return {
    name: 'session-log-write-events',
    text: 'SELECT student_id, email, name FROM session_log_write_events($1::jsonb, $2::text[], $3::text[], $4::bigint[], $5::text[])',
    values: [
      JSON.stringify(events.map(toDocument)),
      [...upserts.keys()],
      [...upserts.values()],
      [...known.values()].map((student) => student.id),
      [...known.keys()],
    ],
  };
}

/** Normalised here, on the main thread: PostgreSQL does the writing (SQLite's writer thread does both). */
function toDocument(event: NewEvent) {
  return {
    s: event.sessionToken,
    t: event.eventType,
    d: event.eventData,
    e: event.studentEmail,
    i: event.eventId,
    q: event.seq,
    p: problemFact(event.eventType, event.eventData) ?? undefined,
  };
}
