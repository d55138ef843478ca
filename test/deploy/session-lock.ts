import pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';

/** The lock PostgreSQL's insert_events takes per session (src/storage/postgres/insert-events-function.ts). */
const SESSION_LOCK_CLASS = 1582665749;

/** A session's writes held back: they wait in their transactions until release(). */
export interface HeldSession {
  /** Resolves once `count` writes wait on this database (rejects after `timeoutMs`). */
  untilWaiting(count: number, timeoutMs?: number): Promise<void>;
  release(): Promise<void>;
}

/** Takes `sessionToken`'s write lock in a transaction of its own, as a slow writer of that session would. */
export async function holdSessionWrites(databaseUrl: string, sessionToken: string): Promise<HeldSession> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query('BEGIN');
  await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [SESSION_LOCK_CLASS, sessionToken]);
  return {
    async untilWaiting(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        // pg_locks is the whole server's: other test files run beside this one.
        const { rows } = await client.query<{ waiting: number }>(
          "SELECT count(*)::int AS waiting FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        );
        if ((rows[0]?.waiting ?? 0) >= count) return;
        if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${count} writes to wait on the lock`);
        await sleep(20);
      }
    },
    async release() {
      await client.query('COMMIT');
      await client.end();
    },
  };
}
