// The durable-log baseline's SQLite threads (see durable-log-sqlite.ts): 'append' owns
// the log and commits each group it is sent; 'index' copies new log rows into the
// indexed table and says how far it has copied, so that the log can forget those rows.
import Database from 'better-sqlite3';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { INDEX_BATCH, READ_INDEXES, type LogRow } from './durable-log.js';
import type { IndexProgress } from './durable-log-sqlite.js';

/** Copied rows are deleted from the log this many at a time, not on every copy. */
const FORGET_EVERY = 5 * INDEX_BATCH;

const LOG_TABLE = `CREATE TABLE IF NOT EXISTS log (id INTEGER PRIMARY KEY AUTOINCREMENT, session_token TEXT,
  event_type TEXT, event_data TEXT, student_email TEXT, created_at TEXT DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ')))`;

function open(file: string): Database.Database {
  const db = new Database(file, { timeout: 5000 });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  return db;
}

/** Either thread may open the log first. */
function openLog(file: string): Database.Database {
  const db = open(file);
  db.exec(LOG_TABLE);
  return db;
}

function append(port: MessagePort, log: string): void {
  const db = openLog(log);
  const insert = db.prepare('INSERT INTO log (session_token, event_type, event_data, student_email) VALUES (?, ?, ?, ?)');
  const forget = db.prepare('DELETE FROM log WHERE id <= ?');
  const commit = db.transaction((rows: LogRow[]) => rows.forEach((row) => insert.run(row)));
  let forgotten = 0;
  port.on('message', (message: { group: number; rows: LogRow[] } | { indexedUpTo: number }) => {
    if ('rows' in message) {
      commit(message.rows);
      port.postMessage(message.group);
    } else if (message.indexedUpTo - forgotten >= FORGET_EVERY) {
      forget.run(message.indexedUpTo);
      forgotten = message.indexedUpTo;
    }
  });
}

function index(port: MessagePort, log: string, indexed: string): void {
  const db = open(indexed);
  db.exec(`CREATE TABLE IF NOT EXISTS events (event_id INTEGER PRIMARY KEY, session_token TEXT, event_type TEXT,
    event_data TEXT, student_id INTEGER, created_at TEXT)`);
  READ_INDEXES.forEach((columns, i) => db.exec(`CREATE INDEX IF NOT EXISTS events_${i} ON events ${columns}`));
  const read = openLog(log)
    .prepare(`SELECT id, session_token, event_type, event_data, student_email, created_at FROM log WHERE id > ? ORDER BY id LIMIT ${INDEX_BATCH}`)
    .raw();
  const insert = db.prepare('INSERT INTO events VALUES (?, ?, ?, ?, ?, ?)');
  const students = new Map<string, number>();
  const studentId = (email: unknown) => (typeof email === 'string' ? (students.get(email) ?? students.set(email, students.size + 1).size) : null);
  const copy = db.transaction((rows: unknown[][]) => rows.forEach(([id, session, type, data, email, at]) => insert.run(id, session, type, data, studentId(email), at)));
  let upTo = 0;
  let copying = false;
  const copyAll = (): void => {
    const rows = read.all(upTo) as unknown[][];
    copying = rows.length > 0;
    if (!copying) return;
    copy(rows);
    upTo = Number(rows.at(-1)?.[0]);
    port.postMessage({ upTo, rows: rows.length } satisfies IndexProgress);
    setImmediate(copyAll);
  };
  port.on('message', () => {
    if (!copying) copyAll();
  });
}

const { role, log, indexed } = workerData as { role: 'append' | 'index'; log: string; indexed: string };
if (parentPort === null) throw new Error('durable-log-threads runs as a worker thread');
if (role === 'append') append(parentPort, log);
else index(parentPort, log, indexed);
