import type { Expression, Kysely, Migration, SqlBool, Transaction } from 'kysely';
import type { JsonScalar } from '../types.js';
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
  /** Runs first in every write transaction, so that event ids follow commit order across writers. */
  serializeWrites(trx: Transaction<Database>): Promise<void>;
  /** The database's clock, as stored in events.created_at. */
  now(): Expression<unknown>;
  encodeData(data: Record<string, unknown>): unknown;
  decodeData(raw: unknown): Record<string, unknown>;
  encodeTime(time: Date): unknown;
  /** ISO 8601 with milliseconds, e.g. "2025-10-27T15:30:45.123Z". */
  decodeTime(raw: unknown): string;
  decodeId(raw: unknown): number;
  /** Predicates on the field at `path` of `e.event_data`, combined by dataFilter(). */
  jsonField(path: readonly string[]): JsonFieldPredicates;
  /** True for errors that pass: connection lost, timeout, database busy. */
  isTransient(error: unknown): boolean;
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
