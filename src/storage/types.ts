/** An event as accepted by the ingest API, ready to be stored. */
export interface NewEvent {
  sessionToken: string;
  eventType: string;
  eventData: Record<string, unknown>;
  studentEmail?: string | undefined;
  studentName?: string | undefined;
  /** Client-chosen UUID: an event sent twice with the same id is stored once. */
  eventId?: string | undefined;
  /** The client's sequence number within the session: a missing number is a lost event. */
  seq?: number | undefined;
}

/** A stored event, in the spec's wire shape. */
export interface StoredEvent {
  event_id: number;
  session_token: string;
  event_type: string;
  event_data: Record<string, unknown>;
  created_at: string;
  student_email: string | null;
  student_name: string | null;
  /** The client's per-session sequence number, when it sent one. */
  seq: number | null;
}

export type ComparisonOperator = 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte';
export type JsonScalar = string | number | boolean | null;

/** A condition on one field of `event_data`, e.g. `status >= 400`. */
export interface DataFilter {
  /** Object keys from the root of `event_data`, e.g. `['error', 'code']`. */
  path: string[];
  op: ComparisonOperator;
  /** Compared with JSON types: the number 400 never equals the string "400". */
  value: JsonScalar;
}

export type SortOrder = 'asc' | 'desc';

/** A read over events; every field narrows the result. */
export interface EventQuery {
  sessionToken?: string | undefined;
  studentEmail?: string | undefined;
  eventType?: string | undefined;
  /** Inclusive lower bound on `created_at`. */
  since?: Date | undefined;
  /** Exclusive upper bound on `created_at`. */
  until?: Date | undefined;
  dataFilters: DataFilter[];
  order: SortOrder;
  /** Keyset position: only events after this id in `order`. */
  afterEventId?: number | undefined;
  limit: number;
}

/** The sessions active since a time, for the class overview. */
export interface ClassActivityQuery {
  /** Sessions with an event at or after this time. */
  activeSince: Date;
  /** Errors at or after this time count as recent. */
  recentSince: Date;
  /** At most this many sessions, the most recently active first. */
  limit: number;
}

/** What the overview reads of an event: when, and a few fields of its data (as text). */
export interface EventFacts {
  eventId: number;
  sessionToken: string;
  at: string;
  /** Navigation: the step arrived at (`to`, else `currentStep`) and its name (`toStepName`, else `stepName`). */
  step: string | null;
  stepName: string | null;
  /** Error: `errorType` (else `type`) and `errorMessage` (else `message`); help request: `message`. */
  kind: string | null;
  message: string | null;
}

/** One active session and its latest telling events. */
export interface ActiveSession {
  sessionToken: string;
  studentEmail: string | null;
  studentName: string | null;
  firstSeen: string;
  lastSeen: string;
  eventCount: number;
  lastNavigation: EventFacts | null;
  lastError: EventFacts | null;
  lastHelpRequest: EventFacts | null;
  /** Errors since `recentSince`. */
  recentErrors: number;
}

/** A stay on a step: from the navigation that arrived at it to the session's next one. */
export interface StepVisit {
  sessionToken: string;
  step: string | null;
  stepName: string | null;
  /** Null while the session is still on the step. */
  seconds: number | null;
}

export interface ClassActivity {
  sessions: ActiveSession[];
  /** The latest visits to steps (up to 1,500) that began since `activeSince`, oldest first. */
  visits: StepVisit[];
}

/**
 * Where events live. One implementation per engine (`src/storage/<engine>/`);
 * everything above this interface is engine-agnostic.
 *
 * @example
 * const store = await createStore('sqlite::memory:');
 * await store.migrate();
 * await store.insertEvents([{ sessionToken: 'ws_1', eventType: 'action', eventData: {} }]);
 * const events = await store.queryEvents({ sessionToken: 'ws_1', dataFilters: [], order: 'desc', limit: 100 });
 */
export interface EventStore {
  /** Applies pending migrations under a lock; refuses a database newer than this code. */
  migrate(): Promise<void>;
  /**
   * Stores all events in one transaction, or none. Events whose `eventId` is already
   * stored are skipped. Resolves only after the commit is durable.
   */
  insertEvents(events: readonly NewEvent[]): Promise<void>;
  /** How many insertEvents calls are worth having in progress at once (at least 1). */
  readonly writeConcurrency: number;
  queryEvents(query: EventQuery): Promise<StoredEvent[]>;
  /** The class overview's reads: each one an indexed lookup, however many events are stored. */
  readClassActivity(query: ClassActivityQuery): Promise<ClassActivity>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The database cannot be reached or is busy right now; the operation may succeed if retried. */
export class StoreUnavailableError extends Error {
  constructor(override readonly cause: unknown) {
    super(`database unavailable: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'StoreUnavailableError';
  }
}
