import type { KnownStudent } from '../sql/student-cache.js';
import type { NewEvent } from '../types.js';

/** Any fixed number: every instance's group inserts queue on this advisory lock. */
const WRITE_LOCK_KEY = 0x5e551014;

/**
 * One group of events in one statement, so one round trip and one (auto)commit:
 *
 * 1. Take the transaction-level advisory lock before any row flows (every CTE reads
 *    `write_lock`), so event ids and created_at follow commit order across instances:
 *    keyset pagination on event_id relies on it.
 * 2. Upsert the students the caller does not know yet; it passes the others by id.
 *    DO UPDATE always fires so that RETURNING yields every one of them, even a student
 *    committed by another instance while we waited for the lock.
 * 3. Give each event its student: its own email's; else, after the session's first
 *    identified event in this group, that one's; else the session's stored link.
 * 4. Record each session's newest link, insert the events (a known client_event_id is
 *    skipped), and return the upserted students for the caller to remember.
 */
const SQL = `
WITH write_lock AS MATERIALIZED (
  SELECT pg_advisory_xact_lock(${WRITE_LOCK_KEY})
),
input AS MATERIALIZED (
  SELECT u.*
  FROM write_lock,
       unnest($1::text[], $2::text[], $3::jsonb[], $4::text[], $5::uuid[])
         WITH ORDINALITY AS u(session_token, event_type, event_data, email, client_event_id, idx)
),
upserted AS (
  INSERT INTO students AS s (email, name)
  SELECT n.email, n.name
  FROM write_lock, unnest($6::text[], $7::text[]) AS n(email, name)
  ORDER BY n.email
  ON CONFLICT (email) DO UPDATE SET name = COALESCE(EXCLUDED.name, s.name)
  RETURNING s.student_id, s.email, s.name
),
student_ids AS (
  SELECT student_id, email FROM upserted
  UNION ALL
  SELECT k.student_id, k.email FROM unnest($8::bigint[], $9::text[]) AS k(student_id, email)
),
segmented AS (
  SELECT i.*, si.student_id AS own_student,
         count(i.email) OVER (PARTITION BY i.session_token ORDER BY i.idx) AS segment
  FROM input i
  LEFT JOIN student_ids si ON si.email = i.email
),
resolved AS (
  SELECT sg.*,
         CASE WHEN sg.segment = 0 THEN links.student_id
              ELSE first_value(sg.own_student) OVER (PARTITION BY sg.session_token, sg.segment ORDER BY sg.idx)
         END AS student_id
  FROM segmented sg
  LEFT JOIN sessions links ON links.session_token = sg.session_token
),
linked AS (
  INSERT INTO sessions AS ss (session_token, student_id)
  SELECT DISTINCT ON (session_token) session_token, student_id
  FROM resolved
  WHERE segment > 0
  ORDER BY session_token, idx DESC
  ON CONFLICT (session_token) DO UPDATE SET student_id = EXCLUDED.student_id
  WHERE ss.student_id IS DISTINCT FROM EXCLUDED.student_id
),
inserted AS (
  INSERT INTO events (student_id, session_token, event_type, event_data, created_at, client_event_id)
  SELECT student_id, session_token, event_type, event_data, date_trunc('milliseconds', clock_timestamp()), client_event_id
  FROM resolved
  ORDER BY idx
  ON CONFLICT (client_event_id) DO NOTHING
)
SELECT student_id, email, name FROM upserted
`;

/** A named statement: each connection parses and plans it once. */
export function insertEventsStatement(
  events: readonly NewEvent[],
  known: ReadonlyMap<string, KnownStudent>,
  upserts: ReadonlyMap<string, string | null>,
) {
  return {
    name: 'session-log-insert-events-v2',
    text: SQL,
    values: [
      events.map((e) => e.sessionToken),
      events.map((e) => e.eventType),
      events.map((e) => JSON.stringify(e.eventData)),
      events.map((e) => e.studentEmail ?? null),
      events.map((e) => e.eventId ?? null),
      [...upserts.keys()],
      [...upserts.values()],
      [...known.values()].map((student) => student.id),
      [...known.keys()],
    ],
  };
}
