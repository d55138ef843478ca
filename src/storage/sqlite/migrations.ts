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
};
