import type { AlertStore } from '../alerts/alert-store.js';
import type { Funnel, FunnelQuery, ProblemQuery, ProblemReport } from '../analytics/analytics-types.js';
import type { ErasureAudit, ErasureCounts, ErasureSubject } from '../erasure/erasure-types.js';

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

/**
 * A read of every matching event (an export): no page, unless a limit is given; and
 * optionally only the sessions of one workshop run, those that logged an event matching
 * `runFilters` between `since` and `until`.
 */
export type ExportQuery = Omit<EventQuery, 'limit' | 'afterEventId'> & { limit?: number | undefined; afterEventId?: undefined; runFilters?: DataFilter[] };

/** The sessions active since a time, for the class overview. */
export interface ClassActivityQuery {
  /** Sessions with an event at or after this time. */
  activeSince: Date;
  /** Errors at or after this time count as recent. */
  recentSince: Date;
  /** At most this many sessions, the most recently active first. */
  limit: number;
}

/** What the overview reads of an error or a help request: when, and a few fields of its data (as text). */
export interface EventFacts {
  eventId: number;
  at: string;
  /** Error: `errorType` (else `type`). */
  kind: string | null;
  /** Error: `errorMessage` (else `message`); help request: `message`. */
  message: string | null;
}

/**
 * Where a session is: the step its latest navigation arrived at (`to`, else `currentStep`,
 * named by `toStepName`, else `stepName`), since when. Navigating to the step it is
 * already on (a page reload) does not start a new stay.
 */
export interface CurrentStay {
  step: string | null;
  stepName: string | null;
  since: string;
  /** The navigation that began the stay. */
  eventId: number;
}

/** One active session and its latest telling events. */
export interface ActiveSession {
  sessionToken: string;
  studentEmail: string | null;
  studentName: string | null;
  firstSeen: string;
  lastSeen: string;
  eventCount: number;
  /** Null until the session's first navigation. */
  stay: CurrentStay | null;
  lastError: EventFacts | null;
  lastHelpRequest: EventFacts | null;
  /** Errors since `recentSince`. */
  recentErrors: number;
}

/** A stay on a step that the session has left. */
export interface StepStay {
  sessionToken: string;
  step: string | null;
  stepName: string | null;
  seconds: number;
}

export interface ClassActivity {
  sessions: ActiveSession[];
  /** All the sessions active since `activeSince`, however many `limit` let through. */
  activeSessions: number;
  /** The latest stays (up to 5,000) that began since `activeSince`. */
  stays: StepStay[];
}

/** The instructor token in force and the configured one it came from, as SHA-256 digests (hex). */
export interface StoredCredentials {
  tokenDigest: string;
  configuredDigest: string;
}

/** What a ChangeChannel announces: new events, or new alerts. */
export type ChangeTopic = 'events' | 'alerts';

/**
 * Word between the instances sharing a database that events (or alerts) were stored, so
 * that each reads them (the word carries none of them: readers read the rows themselves).
 * PostgreSQL: LISTEN/NOTIFY; SQLite (one process): within the process.
 */
export interface ChangeChannel {
  /** Rows of `topic` were committed here: wakes this instance's listeners at once, and the others'. */
  announce(topic: ChangeTopic): void;
  /**
   * Calls `listener` on each announcement of `topic`, from any instance, and whenever word
   * may have been missed (after the channel reconnects), so that the listener reads what
   * is new. Returns the call that stops it.
   */
  listen(topic: ChangeTopic, listener: () => void): () => void;
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
/** Connections of a pool: open (busy or idle), idle, and requests waiting for one. */
export interface PoolUse {
  open: number;
  idle: number;
  waiting: number;
  max: number;
}

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
  /**
   * Every event of the query, from a database cursor, in constant memory. Ending the
   * iteration early (break, return()) stops the database's read.
   */
  streamEvents(query: ExportQuery): AsyncGenerator<StoredEvent>;
  /**
   * The highest event id at or below which every event is final (0 for none): an `asc`
   * cursor from which a follower misses nothing committed later.
   */
  latestSettledEventId(): Promise<number>;
  /** Word between instances that events were stored. */
  readonly changes: ChangeChannel;
  /** Alert rules, alerts and their webhook deliveries, in the same database. */
  readonly alerts: AlertStore;
  /** The class overview's reads: each one an indexed lookup, however many events are stored. */
  readClassActivity(query: ClassActivityQuery): Promise<ClassActivity>;
  /** A window's errors or failed API calls grouped into bugs, by the database. */
  readProblems(query: ProblemQuery): Promise<ProblemReport>;
  /** A window's step funnel, by the database. */
  readFunnel(query: FunnelQuery): Promise<Funnel>;
  /**
   * Deletes everything of a student or a session in one transaction and records the
   * erasure (without whose it was). Null when nothing of the subject is stored.
   */
  erase(subject: ErasureSubject, audit: ErasureAudit): Promise<ErasureCounts | null>;
  /** One short transaction of retention: up to `batch` rows of each kind older than `cutoff`. */
  pruneBatch(cutoff: Date, batch: number): Promise<{ events: number; done: boolean }>;
  /** How many events are older than `cutoff`. */
  countEventsBefore(cutoff: Date): Promise<number>;
  /** Takes or renews the lease on a periodic job until `until`, unless another holder's runs. */
  takeLease(name: string, holder: string, until: Date): Promise<boolean>;
  /** The instructor token in force, as digests (null before the first start records it). */
  readCredentials(): Promise<StoredCredentials | null>;
  /** Records the token in force; `rotated`: by a rotation (which also ends every dashboard session). */
  writeCredentials(credentials: StoredCredentials, rotated: boolean): Promise<void>;
  /**
   * The dashboard's sign-ins, by a digest of their cookie's id: kept in the database so
   * that a sign-out on one instance ends the session on all of them.
   */
  startInstructorSession(digest: string, expiresAt: Date): Promise<void>;
  /** True while the session is signed in and has not expired at `now`. */
  isInstructorSession(digest: string, now: Date): Promise<boolean>;
  endInstructorSession(digest: string): Promise<void>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  /** The connection pool's use now, for metrics; null where there is no pool (SQLite). */
  poolUse(): PoolUse | null;
  close(): Promise<void>;
}

/** The database cannot be reached or is busy right now; the operation may succeed if retried. */
export class StoreUnavailableError extends Error {
  constructor(override readonly cause: unknown) {
    super(`database unavailable: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'StoreUnavailableError';
  }
}
