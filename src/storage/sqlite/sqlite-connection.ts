import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';

/**
 * How long a write waits for another process's lock. better-sqlite3 waits synchronously,
 * blocking its thread, so keep it short and let the client retry on 503.
 */
const BUSY_TIMEOUT_MS = 200;

const TRANSIENT_CODES = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|READONLY)/;

/** Errors that pass: the file is locked by another process, the disk is full or failing. */
export function isTransientSqliteError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && TRANSIENT_CODES.test(code);
}

/**
 * WAL pages after which a commit copies them back into the database file (SQLite's
 * default: 1,000). A group's pages are mostly the same hot pages as the groups before it
 * (each session's index tail, the session activity), and a checkpoint copies each page
 * once however often the WAL holds it. The writer alone, groups of 25 bench events
 * (2026-12-08): 1,000 pages 14,954–15,033 events/s, 2,000 17,074–17,761, 4,000
 * 19,338–20,027, 10,000 22,142–22,519; the service's single-event requests per second at
 * 10,000 against 4,000: ×1.05, within the noise, for a WAL of 40 MB instead of 16 and
 * longer stalls at each checkpoint. On every connection that writes, so that a
 * main-thread write (an alert, a retention batch) does not take the checkpoints over at
 * a lower mark.
 */
const CHECKPOINT_PAGES = 4000;

/** Opens (creating if needed) a SQLite file in WAL mode with an fsync on every commit. */
export function openSqliteConnection(file: string): BetterSqlite3.Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const database = new BetterSqlite3(file);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = FULL');
  database.pragma(`wal_autocheckpoint = ${CHECKPOINT_PAGES}`);
  database.pragma('foreign_keys = ON');
  database.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  return database;
}

/** A read-only connection to an existing file, for one long read beside the others. */
export function openSqliteReader(file: string): BetterSqlite3.Database {
  const database = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  database.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  return database;
}
