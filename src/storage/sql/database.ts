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
    /** Where the session went from here (migration 009; null for stays left before it). */
    next_step: string | null;
  };
  /**
   * Each error and failed API call, as the class-wide views group them (migration 009):
   * written with its event, deleted with it (ON DELETE CASCADE).
   */
  event_problems: {
    event_id: number;
    session_token: string;
    /** The event's created_at in milliseconds since the epoch: windows and trend buckets in integer arithmetic, alike on both engines. */
    at_ms: number | string;
    kind: string;
    label: string | null;
    pattern: string;
    status: number | null;
    step: string | null;
    step_name: string | null;
  };
  /** One row per erasure: what was deleted, never whose (a salted digest of the email or token). */
  erasures: {
    erasure_id: Generated<number>;
    subject_kind: string;
    subject_digest: string;
    salt: string;
    counts: unknown;
    credential: string;
    erased_at: unknown;
  };
  /** Who runs a periodic job (retention) now: one instance at a time, until its lease expires. */
  maintenance_leases: {
    name: string;
    holder: string;
    expires_at: unknown;
  };
  /**
   * Bumped by every deletion outside the writers (erasure, retention): a writer that keeps
   * students, links or stays in memory forgets them when it sees a new value.
   */
  store_epoch: {
    id: number;
    epoch: number | string;
  };
  /** The instructor token in force (a digest), and the digest of the configured one it came from. */
  instructor_credentials: {
    id: number;
    token_digest: string;
    configured_digest: string;
    rotated_at: unknown;
  };
  /** Signed-in dashboards: a digest of each session cookie's id, and when it expires. */
  instructor_sessions: {
    digest: string;
    expires_at: unknown;
  };
  /** Alert rules (migration 008); `filters` is the query API's, as JSON. */
  alert_rules: {
    rule_id: Generated<number>;
    name: string;
    kind: string;
    filters: unknown;
    min_events: number | null;
    min_students: number | null;
    window_minutes: number | null;
    statuses: unknown;
    cooldown_minutes: number;
    webhook_url: string | null;
    webhook_secret: string | null;
    enabled: unknown;
    created_at: unknown;
    updated_at: unknown;
  };
  /** What each rule last fired for, per subject (a session, or the class): one problem, one alert. */
  alert_claims: {
    rule_id: number;
    subject: string;
    problem: string;
    sequence: number | string;
    fired_at: unknown;
  };
  alerts: {
    alert_id: Generated<number>;
    rule_id: number | null;
    rule_name: string;
    kind: string;
    summary: string;
    students: unknown;
    step: string | null;
    step_name: string | null;
    event: unknown;
    created_at: unknown;
    acknowledged_at: unknown;
  };
  /** Each alert's webhook POST, retried until delivered or given up. */
  webhook_deliveries: {
    delivery_id: Generated<number>;
    alert_id: number;
    rule_id: number | null;
    url: string;
    body: string;
    secret: string;
    status: string;
    attempts: number;
    next_attempt_at: unknown;
    claimed_until: unknown;
    last_status: number | null;
    last_error: string | null;
    delivered_at: unknown;
    created_at: unknown;
  };
  /** How far the alert evaluators have read the log (one row): a restart resumes there. */
  alert_progress: {
    id: number;
    last_event_id: number | string;
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
