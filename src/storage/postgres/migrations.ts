import { sql, type Kysely, type Migration } from 'kysely';
import { createInsertEventsFunction } from './insert-events-function.js';

/** PostgreSQL schema history. Same numbers as SQLite's; never edit a released entry. */
export const postgresMigrations: Record<string, Migration> = {
  '001_initial': {
    async up(db: Kysely<unknown>) {
      await sql`CREATE TABLE students (
        student_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        email TEXT NOT NULL UNIQUE,
        name TEXT,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now()
      )`.execute(db);
      await sql`CREATE TABLE sessions (
        session_token TEXT PRIMARY KEY,
        student_id BIGINT NOT NULL REFERENCES students (student_id) ON DELETE CASCADE,
        identified_at TIMESTAMPTZ NOT NULL DEFAULT now()
      )`.execute(db);
      await sql`CREATE TABLE events (
        event_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        student_id BIGINT REFERENCES students (student_id) ON DELETE CASCADE,
        session_token TEXT NOT NULL,
        event_type VARCHAR(50) NOT NULL,
        event_data JSONB NOT NULL,
        created_at TIMESTAMPTZ NOT NULL,
        client_event_id UUID UNIQUE
      )`.execute(db);
      await sql`CREATE INDEX events_session_idx ON events (session_token, event_id)`.execute(db);
      await sql`CREATE INDEX events_student_idx ON events (student_id, event_id)`.execute(db);
      await sql`CREATE INDEX events_type_idx ON events (event_type, event_id)`.execute(db);
      await sql`CREATE INDEX events_created_idx ON events (created_at)`.execute(db);
      await createInsertEventsFunction(db, { withSeq: false });
    },
  },
  '002_event_seq': {
    async up(db: Kysely<unknown>) {
      await sql`ALTER TABLE events ADD COLUMN seq INTEGER`.execute(db);
      // An overload beside 001's: instances still running the previous version keep
      // calling theirs during a rolling upgrade. A later migration may drop the old one.
      await createInsertEventsFunction(db, { withSeq: true });
    },
  },
  '003_session_activity': {
    async up(db: Kysely<unknown>) {
      // On a large table the backfill and the index take longer than the pool's statement
      // timeout; and writers on other instances wait (their lock) until the trigger exists.
      await sql`SET LOCAL statement_timeout = 0`.execute(db);
      await sql`SELECT pg_advisory_xact_lock(1582665748)`.execute(db);
      await sql`CREATE TABLE session_activity (
        session_token TEXT PRIMARY KEY,
        first_seen TIMESTAMPTZ NOT NULL,
        last_seen TIMESTAMPTZ NOT NULL,
        event_count BIGINT NOT NULL
      )`.execute(db);
      await sql`INSERT INTO session_activity
        SELECT session_token, min(created_at), max(created_at), count(*) FROM events GROUP BY session_token`.execute(db);
      await sql`CREATE INDEX session_activity_last_seen_idx ON session_activity (last_seen)`.execute(db);
      await sql`CREATE INDEX events_session_type_idx ON events (session_token, event_type, event_id)`.execute(db);
      // Kept by the database itself, in the statement that stores a group of events: one
      // upsert per session of the group (in token order, so concurrent groups cannot deadlock).
      await sql`CREATE FUNCTION session_log_track_activity() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        INSERT INTO session_activity AS sa (session_token, first_seen, last_seen, event_count)
        SELECT session_token, min(created_at), max(created_at), count(*) FROM inserted
        GROUP BY session_token ORDER BY session_token
        ON CONFLICT (session_token) DO UPDATE
        SET last_seen = greatest(sa.last_seen, EXCLUDED.last_seen), event_count = sa.event_count + EXCLUDED.event_count;
        RETURN NULL;
      END
      $fn$`.execute(db);
      await sql`CREATE TRIGGER events_session_activity AFTER INSERT ON events
        REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION session_log_track_activity()`.execute(db);
    },
  },
};
