import { sql, type Kysely } from 'kysely';

/** The transaction-level advisory lock every group insert takes, and migrations that must stop them. */
export const WRITE_LOCK = 1582665748;

/**
 * For a migration that rewrites what the writers touch: no statement timeout (a backfill
 * of a large table outlasts the pool's), and the writers' lock, so that writers on other
 * instances wait until the migration has committed.
 */
export async function holdWriters(db: Kysely<unknown>): Promise<void> {
  await sql`SET LOCAL statement_timeout = 0`.execute(db);
  await sql`SELECT pg_advisory_xact_lock(${sql.lit(WRITE_LOCK)})`.execute(db);
}

/**
 * A group of events in one call (one round trip, one autocommit):
 *
 * 1. Take the transaction-level advisory lock, so event ids and created_at follow commit
 *    order across instances (keyset pagination relies on it). The insert is a separate
 *    statement after it: it gets a snapshot taken after the lock, so it sees every link
 *    and student that other instances committed before.
 * 2. Upsert the students the caller does not know yet (it passes the others by id), and
 *    return them for the caller to remember.
 * 3. Give each event its student: its own email's; else, after the session's first
 *    identified event in this group, that one's; else the session's stored link.
 * 4. Record each session's newest link; insert the events, skipping known client ids.
 */
export async function createInsertEventsFunction(db: Kysely<unknown>, { withSeq }: { withSeq: boolean }) {
  // Migration 001 created the function without seq, 002 with it: the text must stay
  // what each migration ran, hence the switch rather than an edited copy.
  const seqParam = withSeq ? sql`p_seqs integer[],` : sql``;
  const seqInput = withSeq ? sql`, p_seqs` : sql``;
  const seqColumn = withSeq ? sql`, seq` : sql``;
  const seqValue = withSeq ? sql`, r.seq` : sql``;
  await sql`CREATE FUNCTION session_log_insert_events(
    p_tokens text[], p_types text[], p_data jsonb[], p_emails text[], p_event_ids uuid[], ${seqParam}
    p_new_emails text[], p_new_names text[], p_known_ids bigint[], p_known_emails text[]
  ) RETURNS TABLE (student_id bigint, email text, name text)
  LANGUAGE plpgsql VOLATILE AS $fn$
  #variable_conflict use_column
  BEGIN
    PERFORM pg_advisory_xact_lock(${sql.lit(WRITE_LOCK)});
    RETURN QUERY
    WITH input AS MATERIALIZED (
      SELECT u.*
      FROM unnest(p_tokens, p_types, p_data, p_emails, p_event_ids${seqInput})
        WITH ORDINALITY AS u(session_token, event_type, event_data, email, client_event_id${seqColumn}, idx)
    ),
    upserted AS (
      INSERT INTO students AS s (email, name)
      SELECT n.email, n.name FROM unnest(p_new_emails, p_new_names) AS n(email, name)
      ORDER BY n.email
      ON CONFLICT (email) DO UPDATE SET name = COALESCE(EXCLUDED.name, s.name)
      RETURNING s.student_id, s.email, s.name
    ),
    student_ids AS (
      SELECT student_id, email FROM upserted
      UNION ALL
      SELECT k.student_id, k.email FROM unnest(p_known_ids, p_known_emails) AS k(student_id, email)
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
             END AS resolved_student
      FROM segmented sg
      LEFT JOIN sessions links ON links.session_token = sg.session_token
    ),
    linked AS (
      INSERT INTO sessions AS ss (session_token, student_id)
      SELECT DISTINCT ON (r.session_token) r.session_token, r.resolved_student
      FROM resolved r
      WHERE r.segment > 0
      ORDER BY r.session_token, r.idx DESC
      ON CONFLICT (session_token) DO UPDATE SET student_id = EXCLUDED.student_id
      WHERE ss.student_id IS DISTINCT FROM EXCLUDED.student_id
    ),
    inserted AS (
      INSERT INTO events (student_id, session_token, event_type, event_data, created_at, client_event_id${seqColumn})
      SELECT r.resolved_student, r.session_token, r.event_type, r.event_data,
             date_trunc('milliseconds', clock_timestamp()), r.client_event_id${seqValue}
      FROM resolved r
      ORDER BY r.idx
      ON CONFLICT (client_event_id) DO NOTHING
    )
    SELECT u.student_id, u.email, u.name FROM upserted u;
  END
  $fn$`.execute(db);
}
