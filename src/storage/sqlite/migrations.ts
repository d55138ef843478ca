import { sql, type Kysely, type Migration } from 'kysely';

/** SQLite schema history. Same numbers as PostgreSQL's; never edit a released entry. */
export const sqliteMigrations: Record<string, Migration> = {
  '001_initial': {
    async up(db: Kysely<unknown>) {
      await sql`CREATE TABLE students (
        student_id INTEGER PRIMARY KEY AUTOINCREMENT,
        email TEXT NOT NULL UNIQUE,
        name TEXT,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
      ) STRICT`.execute(db);
      await sql`CREATE TABLE sessions (
        session_token TEXT PRIMARY KEY,
        student_id INTEGER NOT NULL REFERENCES students (student_id) ON DELETE CASCADE,
        identified_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
      ) STRICT, WITHOUT ROWID`.execute(db);
      await sql`CREATE TABLE events (
        event_id INTEGER PRIMARY KEY AUTOINCREMENT,
        student_id INTEGER REFERENCES students (student_id) ON DELETE CASCADE,
        session_token TEXT NOT NULL,
        event_type TEXT NOT NULL,
        event_data TEXT NOT NULL,
        created_at TEXT NOT NULL,
        client_event_id TEXT UNIQUE
      ) STRICT`.execute(db);
      await sql`CREATE INDEX events_session_idx ON events (session_token, event_id)`.execute(db);
      await sql`CREATE INDEX events_student_idx ON events (student_id, event_id)`.execute(db);
      await sql`CREATE INDEX events_type_idx ON events (event_type, event_id)`.execute(db);
      await sql`CREATE INDEX events_created_idx ON events (created_at)`.execute(db);
    },
  },
  '002_event_seq': {
    async up(db: Kysely<unknown>) {
      await sql`ALTER TABLE events ADD COLUMN seq INTEGER`.execute(db);
    },
  },
  '003_session_activity': {
    async up(db: Kysely<unknown>) {
      await sql`CREATE TABLE session_activity (
        session_token TEXT PRIMARY KEY,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        event_count INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID`.execute(db);
      await sql`INSERT INTO session_activity
        SELECT session_token, min(created_at), max(created_at), count(*) FROM events GROUP BY session_token`.execute(db);
      await sql`CREATE INDEX session_activity_last_seen_idx ON session_activity (last_seen)`.execute(db);
      await sql`CREATE INDEX events_session_type_idx ON events (session_token, event_type, event_id)`.execute(db);
      // Kept up to date by the writer, once per session of each group, in the transaction
      // that stores the events (a row trigger would cost an upsert per event: half the rate).
    },
  },
};
