import { problemFact } from '../../analytics/problem-facts.js';
import type { KnownStudent } from '../sql/bounded-cache.js';
import type { NewEvent } from '../types.js';

/**
 * A call of session_log_insert_events (insert-events-function.ts: created by migration 001,
 * `seq` added by 002, concurrent since 007, problems since 009), as a named statement: each connection parses
 * and plans it once.
 */
export function insertEventsStatement(
  events: readonly NewEvent[],
  known: ReadonlyMap<string, KnownStudent>,
  upserts: ReadonlyMap<string, string | null>,
) {
  return {
    name: 'session-log-insert-events',
    text: `SELECT student_id, email, name FROM session_log_insert_events(
      $1::text[], $2::text[], $3::jsonb[], $4::text[], $5::uuid[], $6::integer[], $7::text[], $8::text[], $9::bigint[], $10::text[], $11::jsonb[])`,
    values: [
      events.map((e) => e.sessionToken),
      events.map((e) => e.eventType),
      events.map((e) => JSON.stringify(e.eventData)),
      events.map((e) => e.studentEmail ?? null),
      events.map((e) => e.eventId ?? null),
      events.map((e) => e.seq ?? null),
      [...upserts.keys()],
      [...upserts.values()],
      [...known.values()].map((student) => student.id),
      [...known.keys()],
      // Normalised here, on the main thread: PostgreSQL does the writing (SQLite's writer thread does both).
      events.map((e) => {
        const fact = problemFact(e.eventType, e.eventData);
        return fact === null ? null : JSON.stringify(fact);
      }),
    ],
  };
}
