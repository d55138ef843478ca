// The durable-log baseline's storage (see durable-log-server.ts), one per engine.
import type { GroupWriter } from '../../src/ingest/group-commit.js';
import type { NewEvent } from '../../src/storage/types.js';

/** session_token, event_type, event_data (JSON), student_email. */
export type LogRow = [string, string, string, string | null];

export const toLogRow = (event: NewEvent): LogRow => [event.sessionToken, event.eventType, JSON.stringify(event.eventData), event.studentEmail ?? null];

/** Written to by the service's own GroupCommitter: insertEvents resolves once the group is durable. */
export interface DurableLog extends GroupWriter {
  close(): Promise<void>;
}

/** The indexes of the service's events table, which its reads need. */
export const READ_INDEXES = [
  '(session_token, event_id)',
  '(student_id, event_id)',
  '(event_type, event_id)',
  '(created_at)',
];

/** Rows copied into the indexed table per transaction. */
export const INDEX_BATCH = 2000;

/**
 * Rows appended but not yet indexed. Appends wait while there are more than one index
 * batch of them, so that the baseline's rate is one the indexing sustains, not a burst
 * it would pay for after the measurement (or during the next server's).
 */
export class IndexBacklog {
  private appended = 0;
  private indexed = 0;
  private waiting: Array<() => void> = [];

  async reserve(rows: number): Promise<void> {
    while (this.appended - this.indexed > INDEX_BATCH) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.appended += rows;
  }

  /** Rows no longer waiting: indexed, or never appended after all. */
  settled(rows: number): void {
    this.indexed += rows;
    const waiting = this.waiting;
    this.waiting = [];
    for (const resolve of waiting) resolve();
  }
}
