import pg from 'pg';
import Cursor from 'pg-cursor';
import { Kysely, PostgresDialect, sql, type SqlBool } from 'kysely';
import type { Database } from '../sql/database.js';
import type { SqlEngine } from '../sql/sql-engine.js';
import { discardBrokenClients } from './discard-broken-clients.js';
import { PostgresChangeChannel } from './postgres-change-channel.js';
import { PostgresEventWriter } from './postgres-event-writer.js';
import { postgresMigrations } from './migrations.js';
import { postgresJsonField } from './postgres-json-field.js';

export interface PostgresOptions {
  /** Called when an idle pooled connection fails (server restart, killed backend). */
  onIdleClientError?: (error: Error) => void;
  /** Called when the connection listening for other instances' events fails (it reconnects). */
  onListenerError?: (error: Error) => void;
  /** How long to wait for a connection, and for a query's answer, before giving up (503). */
  connectTimeoutMs?: number;
  queryTimeoutMs?: number;
  /** How long the writer trusts what it knows of a student (STUDENT_MEMORY_MS by default). */
  studentMemoryMs?: number;
}

/**
 * Connection lost (08), resources (53), operator intervention (57), serialization (40),
 * system (58), and a database that is read-only for now (25006: a standby after failover).
 */
const TRANSIENT_SQLSTATE = /^(08|53|57|40|58)|^25006$/;
const FOREIGN_KEY_VIOLATION = '23503';
/** Errors of the connection itself, the host's name not resolving (for now) among them. */
const CONNECTION_FAILURE = /connection|timeout|terminated|not queryable|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|ENOTFOUND|EAI_AGAIN/i;

const POOL_SIZE = 10;

export function openPostgresEngine(connectionString: string, options: PostgresOptions = {}): SqlEngine {
  const pool = new pg.Pool({
    connectionString,
    max: POOL_SIZE,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 3000,
    idleTimeoutMillis: 30_000,
    // The server cancels a statement after its timeout; the client gives up a little later
    // in case the server itself stopped answering.
    statement_timeout: options.queryTimeoutMs ?? 5000,
    query_timeout: (options.queryTimeoutMs ?? 5000) + 1000,
    keepAlive: true,
    application_name: 'session-log',
    // Acknowledged means durable, whatever the server's default says.
    options: '-c synchronous_commit=on',
  });
  pool.on('error', (error) => options.onIdleClientError?.(error));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: discardBrokenClients(pool), cursor: Cursor }) });
  const writer = new PostgresEventWriter(pool, options.studentMemoryMs);
  const changes = new PostgresChangeChannel(pool, connectionString, {
    onError: options.onListenerError,
    connectTimeoutMs: options.connectTimeoutMs,
  });

  return {
    db,
    migrations: postgresMigrations,
    insertEvents: (events) => writer.insertEvents(events),
    // One group in flight per instance lets the next one grow; instances commit side by
    // side (measured when writers were serialised on one lock: 1 beat 2 and 3 by about 10%).
    writeConcurrency: 1,
    decodeData: (raw) => raw as Record<string, unknown>,
    encodeTime: (time) => time,
    decodeTime: (raw) => (raw as Date).toISOString(),
    decodeId: (raw) => Number(raw),
    encodeBoolean: (value) => value,
    followHorizon: async () => {
      const { rows } = await sql<{ xid: string }>`SELECT session_log_settled_xid()::text AS xid`.execute(db);
      return sql<SqlBool>`(e.write_xid IS NULL OR e.write_xid < ${rows[0]?.xid}::xid8)`;
    },
    changes,
    poolUse: () => ({ open: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: POOL_SIZE }),
    writeTransaction: (work) => db.transaction().execute(work),
    rowId: 'ctid',
    locksRows: true,
    // A connection of its own (for a cursor, pg-cursor through Kysely's stream), without the
    // pool's timeouts: an export of a million rows, or a migration's backfill, runs for
    // longer than any other query may.
    openLongRunning: (purpose) => {
      const own = new pg.Pool({ connectionString, max: 1, connectionTimeoutMillis: options.connectTimeoutMs ?? 3000, keepAlive: true, application_name: `session-log ${purpose}` });
      // As for the main pool: an idle connection that fails would otherwise crash the process.
      own.on('error', (error) => options.onIdleClientError?.(error));
      const reader = new Kysely<Database>({ dialect: new PostgresDialect({ pool: discardBrokenClients(own), cursor: Cursor }) });
      return { db: reader, shared: false, release: () => reader.destroy() };
    },
    aggregating: (work) =>
      db.transaction().execute(async (trx) => {
        await sql`SET LOCAL work_mem = '64MB'`.execute(trx);
        return work(trx);
      }),
    unindexed: (column) => column,
    stepNumber: (text) => sql<number | null>`CASE WHEN ${text} ~ '^-?(0|[1-9][0-9]*)([.][0-9]*[1-9])?$' THEN ${text}::double precision END`,
    jsonField: postgresJsonField,
    isTransient,
    isMissingReference: (error) => error instanceof pg.DatabaseError && error.code === FOREIGN_KEY_VIOLATION,
    close: async () => {
      await changes.close();
      await writer.close();
      await db.destroy();
    },
  };
}

function isTransient(error: unknown): boolean {
  if (error instanceof pg.DatabaseError) return TRANSIENT_SQLSTATE.test(error.code ?? '');
  return error instanceof Error && CONNECTION_FAILURE.test(`${error.message} ${(error as { code?: string }).code ?? ''}`);
}
