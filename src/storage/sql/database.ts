import type { Generated } from 'kysely';

/**
 * The tables as Kysely sees them on every engine. Column representations that differ
 * between engines (JSON, timestamps) are typed `unknown` and converted by the engine.
 */
export interface Database {
  students: {
    student_id: Generated<number>;
    email: string;
    name: string | null;
  };
  sessions: {
    session_token: string;
    student_id: number;
  };
  /**
   * One row per session, kept as events are stored (PostgreSQL: a trigger; SQLite: the
   * writer): what the class overview reads, with no scan of the events.
   */
  session_activity: {
    session_token: string;
    first_seen: unknown;
    last_seen: unknown;
    event_count: number | string;
    /** The current stay: since navigation step_event_id arrived on the step. */
    step: string | null;
    step_name: string | null;
    on_step_since: unknown;
    step_event_id: number | string | null;
    last_error_id: number | string | null;
    last_help_id: number | string | null;
  };
  /** Each stay on a step that a session has left: how long the class takes on each step. */
  step_stays: {
    session_token: string;
    step: string | null;
    step_name: string | null;
    arrived_at: unknown;
    seconds: number;
  };
  /** Signed-in dashboards: a digest of each session cookie's id, and when it expires. */
  instructor_sessions: {
    digest: string;
    expires_at: unknown;
  };
  events: {
    event_id: Generated<number>;
    student_id: number | null;
    session_token: string;
    event_type: string;
    event_data: unknown;
    created_at: unknown;
    client_event_id: string | null;
    seq: number | null;
  };
}
