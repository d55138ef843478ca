// The durable-log baseline's storage (see durable-log-server.ts), one per engine.

/** session_token, event_type, event_data (JSON), student_email. */
export type LogRow = [string, string, string, string | null];

export interface DurableLog {
  /** Groups worth committing at once. */
  readonly maxInFlight: number;
  /** Resolves once the rows are committed durably. */
  append(rows: LogRow[]): Promise<void>;
  close(): Promise<void>;
}

/** The indexes of the service's events table, which its reads need. */
export const READ_INDEXES = [
  '(session_token, event_id)',
  '(session_token, event_type, event_id)',
  '(student_id, event_id)',
  '(event_type, event_id)',
  '(created_at)',
];
