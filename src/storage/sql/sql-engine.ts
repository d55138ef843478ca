import type { Expression, Kysely, Migration, RawBuilder, SqlBool, Transaction } from 'kysely';
import type { ChangeChannel, JsonScalar, NewEvent, PoolUse } from '../types.js';
import type { Database } from './database.js';

/**
 * What one database engine supplies to the shared SQL store: its connection, its
 * migrations, and the few expressions and encodings in which engines differ.
 * Each engine folder (`sqlite/`, `postgres/`) exports one.
 */
export interface SqlEngine {
  readonly db: Kysely<Database>;
  /** Ordered by key ("001_initial", "002_…"); never edited once released. */
  readonly migrations: Readonly<Record<string, Migration>>;
  /**
   * Stores a group of events in one transaction (see EventStore.insertEvents). Each engine
   * writes its own way, for speed; followHorizon says which rows a follower may pass. An
   * engine that remembers students forgets them when a write fails.
   */
  insertEvents(events: readonly NewEvent[]): Promise<void>;
  /** How many insertEvents calls are worth running at once (see EventStore.writeConcurrency). */
  readonly writeConcurrency: number;
  decodeData(raw: unknown): Record<string, unknown>;
  encodeTime(time: Date): unknown;
  /** ISO 8601 with milliseconds, e.g. "2025-10-27T15:30:45.123Z". */
  decodeTime(raw: unknown): string;
  decodeId(raw: unknown): number;
  /** SQLite has no boolean type (and its driver binds none): 1 and 0 there. */
  encodeBoolean(value: boolean): unknown;
  /**
   * For a read that follows the log (oldest first), asked just before it: a condition on
   * `e` keeping only the rows that no write still in progress can precede in event_id
   * order, so that a cursor past them never skips a row committed later. Undefined where
   * ids follow commit order anyway (one writer).
   */
  followHorizon(): Promise<Expression<SqlBool> | undefined>;
  readonly changes: ChangeChannel;
  /** See EventStore.poolUse. */
  poolUse(): PoolUse | null;
  /**
   * Runs `work` in a transaction that writes beside the event writers (erasure, retention):
   * SQLite takes the write lock at its start (BEGIN IMMEDIATE), so that it waits its turn
   * instead of failing half-way.
   */
  writeTransaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
  /** The column that names a row in tables without a key (step_stays): rowid, ctid. */
  readonly rowId: string;
  /** PostgreSQL locks rows (SELECT … FOR UPDATE); SQLite's write transactions lock the whole file. */
  readonly locksRows: boolean;
  /**
   * A connection for one long operation that holds up no other query and that no timeout
   * cuts: an export's cursor (`read`), the migrations (`migrate`, which may rewrite millions
   * of rows); `release` when done. PostgreSQL: a connection of its own, without the pool's
   * statement and query timeouts. SQLite: a read-only connection of its own to read; its
   * one connection (which has no timeout) to migrate. `shared`: the engine's own connection
   * after all (an in-memory SQLite database, which no other connection sees), which a read
   * must not hold across waits.
   */
  openLongRunning(purpose: 'read' | 'migrate'): { db: Kysely<Database>; shared: boolean; release: () => Promise<void> };
  /**
   * Runs a few aggregating reads (the class-wide views) together. PostgreSQL: in one
   * transaction with room to hash their groups in memory (work_mem), where its default
   * 4 MB and its guess of one group per row for a computed key make it sort on disk.
   */
  aggregating<T>(work: (db: Kysely<Database>) => Promise<T>): Promise<T>;
  /**
   * The column as an expression that no index serves: its condition then filters a scan in
   * the order of another index (SQLite: a unary +; PostgreSQL weighs its indexes with statistics).
   */
  unindexed(column: RawBuilder<unknown>): RawBuilder<unknown>;
  /** A step's text as a number where it is a plain decimal one ("3", "2.5"), else null: steps compare by it. */
  stepNumber(text: RawBuilder<unknown>): RawBuilder<number | null>;
  /** Predicates on the field at `path` of `e.event_data`, combined by dataFilter(). */
  jsonField(path: readonly string[]): JsonFieldPredicates;
  /** True for errors that pass: connection lost, timeout, database busy. */
  isTransient(error: unknown): boolean;
  /** True for a foreign-key failure: a row the engine remembered was deleted meanwhile. */
  isMissingReference(error: unknown): boolean;
  close(): Promise<void>;
}

export interface JsonFieldPredicates {
  /** The field exists (a JSON null counts as present). */
  present(): Expression<SqlBool>;
  /** Same JSON type and value: the number 400 never equals the string "400". */
  equals(value: JsonScalar): Expression<SqlBool>;
  /** The field is a number and compares so with `value`. */
  compareNumber(operator: '<' | '<=' | '>' | '>=', value: number): Expression<SqlBool>;
}
