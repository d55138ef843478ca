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
  /** One row per session, kept by a trigger on events: what the class overview starts from. */
  session_activity: {
    session_token: string;
    first_seen: unknown;
    last_seen: unknown;
    event_count: number | string;
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
