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
      await sql`DROP FUNCTION session_log_insert_events(text[], text[], jsonb[], text[], uuid[], text[], text[], bigint[], text[])`.execute(db);
      await createInsertEventsFunction(db, { withSeq: true });
    },
  },
};
