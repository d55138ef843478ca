import { sql, type Kysely, type Migration, type RawBuilder } from 'kysely';
import { backfillProblems } from '../sql/backfill-problems.js';
import { createGroupWriteFunction, createInsertEventsFunction, createProblemsInsertFunction, holdWriters, replaceInsertEventsFunction } from './insert-events-function.js';

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
      // Writers on other instances wait until the trigger exists.
      await holdWriters(db);
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
  '004_step_stays': {
    async up(db: Kysely<unknown>) {
      await holdWriters(db);
      await sql`ALTER TABLE session_activity
        ADD COLUMN step TEXT, ADD COLUMN step_name TEXT, ADD COLUMN on_step_since TIMESTAMPTZ,
        ADD COLUMN step_event_id BIGINT, ADD COLUMN last_error_id BIGINT, ADD COLUMN last_help_id BIGINT`.execute(db);
      await sql`CREATE TABLE step_stays (
        session_token TEXT NOT NULL,
        step TEXT,
        step_name TEXT,
        arrived_at TIMESTAMPTZ NOT NULL,
        seconds DOUBLE PRECISION NOT NULL
      )`.execute(db);
      await sql`CREATE INDEX step_stays_arrived_idx ON step_stays (arrived_at)`.execute(db);
      // The field `key` (else `fallback`'s when `key`'s is absent or null), as text if a
      // string or a number: a navigation's step and step name, as the SQLite writer reads them.
      await sql`CREATE FUNCTION session_log_json_text(document jsonb, key text, fallback text) RETURNS text
        LANGUAGE sql IMMUTABLE AS $fn$
        SELECT CASE
          WHEN jsonb_typeof(document -> key) IN ('string', 'number') THEN document ->> key
          WHEN coalesce(jsonb_typeof(document -> key), 'null') = 'null' AND jsonb_typeof(document -> fallback) IN ('string', 'number')
            THEN document ->> fallback
        END
      $fn$`.execute(db);
      // Each run of a session's navigations to one step is one stay: the history once here,
      // then each statement's navigations after the session's current stay, in the trigger.
      await sql`CREATE TEMP TABLE history ON COMMIT DROP AS
        ${stays(sql`SELECT session_token, event_id, created_at, event_data FROM events WHERE event_type = 'navigation'`)}
        SELECT * FROM stays`.execute(db);
      await sql`INSERT INTO step_stays (session_token, step, step_name, arrived_at, seconds)
        SELECT session_token, step, step_name, created_at, extract(epoch FROM left_at - created_at) FROM history WHERE left_at IS NOT NULL`.execute(db);
      await sql`UPDATE session_activity sa SET step = s.step, step_name = s.step_name, on_step_since = s.created_at, step_event_id = s.event_id
        FROM history s WHERE s.left_at IS NULL AND sa.session_token = s.session_token`.execute(db);
      await sql`UPDATE session_activity sa SET last_error_id = latest.error_id, last_help_id = latest.help_id
        FROM (
          SELECT session_token,
            max(event_id) FILTER (WHERE event_type = 'error') AS error_id,
            max(event_id) FILTER (WHERE event_type = 'help_request') AS help_id
          FROM events WHERE event_type IN ('error', 'help_request') GROUP BY session_token
        ) AS latest
        WHERE latest.session_token = sa.session_token`.execute(db);
      await replaceTrackActivityFunction(db, { withNextStep: false });
    },
  },
  '005_instructor_sessions': {
    async up(db: Kysely<unknown>) {
      await sql`CREATE TABLE instructor_sessions (digest TEXT PRIMARY KEY, expires_at TIMESTAMPTZ NOT NULL)`.execute(db);
    },
  },
  '006_drop_session_type_index': {
    // Added by 003 for the overview's lookups that 004's session_activity columns now
    // answer. Reads of one session and one type use (session_token, event_id), bounded by
    // the session's size, and each stored event updates one index keyed by session fewer
    // (+14% single-event requests per second on SQLite, +10% on PostgreSQL, 2026-11-26).
    // IF EXISTS: SQLite runs migrations outside a transaction, so a crash after the drop
    // runs this again at the next start.
    async up(db: Kysely<unknown>) {
      await sql`DROP INDEX IF EXISTS events_session_type_idx`.execute(db);
    },
  },
  '007_concurrent_writers': {
    // Writers stop serialising on one lock (see replaceInsertEventsFunction). Rows stored
    // before have no write_xid: they were written in commit order, and are all settled.
    async up(db: Kysely<unknown>) {
      await holdWriters(db);
      await sql`ALTER TABLE events ADD COLUMN write_xid xid8`.execute(db);
      await replaceInsertEventsFunction(db);
    },
  },
  '008_alerts': {
    async up(db: Kysely<unknown>) {
      await sql`CREATE TABLE alert_rules (
        rule_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        filters JSONB NOT NULL,
        min_events INTEGER,
        min_students INTEGER,
        window_minutes INTEGER,
        statuses JSONB,
        cooldown_minutes INTEGER NOT NULL,
        webhook_url TEXT,
        webhook_secret TEXT,
        enabled BOOLEAN NOT NULL,
        created_at TIMESTAMPTZ NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL
      )`.execute(db);
      await sql`CREATE TABLE alert_claims (
        rule_id BIGINT NOT NULL REFERENCES alert_rules (rule_id) ON DELETE CASCADE,
        subject TEXT NOT NULL,
        problem TEXT NOT NULL,
        sequence BIGINT NOT NULL,
        fired_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (rule_id, subject)
      )`.execute(db);
      await sql`CREATE TABLE alerts (
        alert_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        rule_id BIGINT REFERENCES alert_rules (rule_id) ON DELETE SET NULL,
        rule_name TEXT NOT NULL,
        kind TEXT NOT NULL,
        summary TEXT NOT NULL,
        students JSONB NOT NULL,
        step TEXT,
        step_name TEXT,
        event JSONB,
        created_at TIMESTAMPTZ NOT NULL,
        acknowledged_at TIMESTAMPTZ
      )`.execute(db);
      await sql`CREATE INDEX alerts_created_idx ON alerts (created_at)`.execute(db);
      await sql`CREATE TABLE webhook_deliveries (
        delivery_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        alert_id BIGINT NOT NULL REFERENCES alerts (alert_id) ON DELETE CASCADE,
        rule_id BIGINT REFERENCES alert_rules (rule_id) ON DELETE SET NULL,
        url TEXT NOT NULL,
        body TEXT NOT NULL,
        secret TEXT NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        next_attempt_at TIMESTAMPTZ NOT NULL,
        claimed_until TIMESTAMPTZ,
        last_status INTEGER,
        last_error TEXT,
        delivered_at TIMESTAMPTZ,
        created_at TIMESTAMPTZ NOT NULL
      )`.execute(db);
      await sql`CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (status, next_attempt_at)`.execute(db);
      await sql`CREATE INDEX webhook_deliveries_alert_idx ON webhook_deliveries (alert_id)`.execute(db);
      await sql`CREATE TABLE alert_progress (id INTEGER PRIMARY KEY CHECK (id = 1), last_event_id BIGINT NOT NULL)`.execute(db);
      await sql`INSERT INTO alert_progress SELECT 1, coalesce(max(event_id), 0) FROM events`.execute(db);
    },
  },
  '009_class_analytics_and_erasure': {
    async up(db: Kysely<unknown>) {
      await holdWriters(db);
      await sql`CREATE TABLE event_problems (
        event_id BIGINT PRIMARY KEY REFERENCES events (event_id) ON DELETE CASCADE,
        session_token TEXT NOT NULL,
        at_ms BIGINT NOT NULL,
        kind TEXT NOT NULL,
        label TEXT,
        pattern TEXT NOT NULL,
        status INTEGER,
        step TEXT,
        step_name TEXT
      )`.execute(db);
      // The class-wide views read a window of one kind (hash-aggregated): from the index alone.
      await sql`CREATE INDEX event_problems_window_idx ON event_problems (kind, at_ms)
        INCLUDE (label, pattern, status, session_token, step, step_name, event_id)`.execute(db);
      await backfillProblems(db, { data: (raw) => raw as Record<string, unknown>, time: (raw) => (raw as Date).getTime() });
      await createProblemsInsertFunction(db);
      await sql`ALTER TABLE step_stays ADD COLUMN next_step TEXT`.execute(db);
      await sql`WITH ordered AS (
          SELECT ctid AS id, session_token, lead(step) OVER w AS next_step, lead(ctid) OVER w AS next_id
          FROM step_stays WINDOW w AS (PARTITION BY session_token ORDER BY arrived_at)
        )
        UPDATE step_stays s SET next_step = CASE WHEN o.next_id IS NOT NULL THEN o.next_step ELSE sa.step END
        FROM ordered o LEFT JOIN session_activity sa ON sa.session_token = o.session_token
        WHERE s.ctid = o.id`.execute(db);
      await replaceTrackActivityFunction(db, { withNextStep: true });
      await sql`CREATE INDEX step_stays_window_idx ON step_stays (arrived_at) INCLUDE (step, session_token, seconds, next_step, step_name)`.execute(db);
      await sql`DROP INDEX step_stays_arrived_idx`.execute(db);
      await sql`CREATE INDEX sessions_student_idx ON sessions (student_id)`.execute(db);
      await sql`CREATE TABLE erasures (
        erasure_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        subject_kind TEXT NOT NULL,
        subject_digest TEXT NOT NULL,
        salt TEXT NOT NULL,
        counts JSONB NOT NULL,
        credential TEXT NOT NULL,
        erased_at TIMESTAMPTZ NOT NULL
      )`.execute(db);
      await sql`CREATE TABLE maintenance_leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at TIMESTAMPTZ NOT NULL)`.execute(db);
      await sql`CREATE TABLE store_epoch (id INTEGER PRIMARY KEY CHECK (id = 1), epoch BIGINT NOT NULL)`.execute(db);
      await sql`INSERT INTO store_epoch VALUES (1, 0)`.execute(db);
      await sql`CREATE TABLE instructor_credentials (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        token_digest TEXT NOT NULL,
        configured_digest TEXT NOT NULL,
        rotated_at TIMESTAMPTZ
      )`.execute(db);
    },
  },
  '010_group_as_document': {
    // The writers' function with the group as one jsonb document (createGroupWriteFunction).
    async up(db: Kysely<unknown>) {
      await createGroupWriteFunction(db);
    },
  },
};

/**
 * `WITH … stays AS (…)`: the stays that `navigations` (session_token, event_id,
 * created_at, event_data) begin, after each session's `current` stay if given (session_token,
 * event_id, created_at, step, step_name); `left_at` is null for a session's last one.
 */
function stays(navigations: RawBuilder<unknown>, current?: RawBuilder<unknown>, withNextStep = false) {
  return sql`WITH arrivals AS (
      ${current === undefined ? sql`` : sql`${current} UNION ALL`}
      SELECT session_token, event_id, created_at,
        session_log_json_text(event_data, 'to', 'currentStep'), session_log_json_text(event_data, 'toStepName', 'stepName')
      FROM (${navigations}) AS n
    ), marked AS (
      SELECT a.*, lag(a.step) OVER w AS previous_step, row_number() OVER w AS n
      FROM arrivals AS a(session_token, event_id, created_at, step, step_name)
      WINDOW w AS (PARTITION BY session_token ORDER BY event_id)
    ), stays AS (
      SELECT *, lead(created_at) OVER (PARTITION BY session_token ORDER BY event_id) AS left_at${
        withNextStep ? sql`, lead(step) OVER (PARTITION BY session_token ORDER BY event_id) AS next_step` : sql``
      }
      FROM marked WHERE n = 1 OR step IS DISTINCT FROM previous_step
    )`;
}

/**
 * The trigger that keeps session_activity and step_stays (migration 004); 009 also
 * records where each stay was left for (next_step). The text each migration ran stays
 * what it was, hence the switch rather than an edited copy.
 */
async function replaceTrackActivityFunction(db: Kysely<unknown>, { withNextStep }: { withNextStep: boolean }) {
  await sql`CREATE OR REPLACE FUNCTION session_log_track_activity() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        INSERT INTO session_activity AS sa (session_token, first_seen, last_seen, event_count, last_error_id, last_help_id)
        SELECT session_token, min(created_at), max(created_at), count(*),
          max(event_id) FILTER (WHERE event_type = 'error'), max(event_id) FILTER (WHERE event_type = 'help_request')
        FROM inserted GROUP BY session_token ORDER BY session_token
        ON CONFLICT (session_token) DO UPDATE
        SET last_seen = greatest(sa.last_seen, EXCLUDED.last_seen), event_count = sa.event_count + EXCLUDED.event_count,
          last_error_id = greatest(sa.last_error_id, EXCLUDED.last_error_id), last_help_id = greatest(sa.last_help_id, EXCLUDED.last_help_id);
        IF EXISTS (SELECT FROM inserted WHERE event_type = 'navigation') THEN
          ${stays(
            sql`SELECT session_token, event_id, created_at, event_data FROM inserted WHERE event_type = 'navigation'`,
            sql`SELECT session_token, step_event_id, on_step_since, step, step_name FROM session_activity
              WHERE step_event_id IS NOT NULL AND session_token IN (SELECT session_token FROM inserted WHERE event_type = 'navigation')`,
            withNextStep,
          )},
          closed AS (
            INSERT INTO step_stays (session_token, step, step_name, arrived_at, seconds${withNextStep ? sql`, next_step` : sql``})
            SELECT session_token, step, step_name, created_at, extract(epoch FROM left_at - created_at)${withNextStep ? sql`, next_step` : sql``} FROM stays WHERE left_at IS NOT NULL
          )
          UPDATE session_activity sa SET step = s.step, step_name = s.step_name, on_step_since = s.created_at, step_event_id = s.event_id
          FROM stays s WHERE s.left_at IS NULL AND sa.session_token = s.session_token AND sa.step_event_id IS DISTINCT FROM s.event_id;
        END IF;
        RETURN NULL;
      END
      $fn$`.execute(db);
}
