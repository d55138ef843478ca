import BetterSqlite3 from 'better-sqlite3';
import type { SeedDatabase } from './seed.js';
import { SEED_CHUNK, SEED_EPOCH_S, SEED_LISTS, SEED_SESSIONS } from './seed-shape.js';

const SEED_STUDENTS = `
  WITH RECURSIVE i(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM i WHERE n < ${SEED_SESSIONS - 1})
  INSERT OR IGNORE INTO students (email, name) SELECT printf('student%03d@seed.example.edu', n), 'Student ' || n FROM i`;

const SEED_SESSIONS_SQL = `
  INSERT OR IGNORE INTO sessions (session_token, student_id)
  SELECT 'ws_seed_' || substr(email, 8, 3), student_id FROM students WHERE email LIKE '%@seed.example.edu'`;

/** Events @from..@to; the lists are JSON arrays picked from with json_extract. */
const SEED_EVENTS = `
  WITH RECURSIVE seq(n) AS (SELECT CAST(@from AS INTEGER) UNION ALL SELECT n + 1 FROM seq WHERE n < @to),
  src AS (
    SELECT n, h, h % ${SEED_SESSIONS} AS k, (h / 500) % 100 AS t, (h / 50000) % 100 AS u, (h / 5000000) % 6 AS step,
           strftime('%Y-%m-%dT%H:%M:%fZ', ${SEED_EPOCH_S} + n * 0.005, 'unixepoch') AS at
    FROM (SELECT n, (n * 2654435761) % 4294967296 AS h FROM seq)
  )
  INSERT INTO events (student_id, session_token, event_type, event_data, created_at)
  SELECT s.student_id, s.session_token,
    CASE WHEN t < 30 THEN 'api_call' WHEN t < 60 THEN 'navigation' WHEN t < 90 THEN 'action' ELSE 'error' END,
    json_set(CASE
      WHEN t < 30 THEN json_object('endpoint', json_extract(@endpoints, '$[' || (h % 4) || ']'), 'method', 'POST',
        'status', CASE WHEN u < 5 THEN json_extract(@statuses, '$[' || u || ']') ELSE 200 END, 'durationMs', 50 + h % 4000,
        'model', 'gpt-4o-mini', 'requestId', printf('req_%x', h))
      WHEN t < 60 THEN json_object('from', step, 'to', min(step + 1, 5), 'stepName', json_extract(@steps, '$[' || min(step + 1, 5) || ']'),
        'url', '/workshop/steps/' || min(step + 1, 5), 'viewport', json_object('width', 1440, 'height', 900))
      WHEN t < 90 THEN json_object('actionName', json_extract(@actions, '$[' || (h % 5) || ']'),
        'validated', json(CASE WHEN u % 10 < 7 THEN 'true' ELSE 'false' END),
        'currentStep', step, 'stepName', json_extract(@steps, '$[' || step || ']'), 'elapsedMs', h % 600000)
      ELSE json_object('errorType', json_extract(@errorTypes, '$[' || (u % 3) || ']'),
        'message', json_extract(@errorMessages, '$[' || (u % 3) || ']'),
        'currentStep', step, 'stepName', json_extract(@steps, '$[' || step || ']'), 'recoverable', json('true'))
    END, '$.clientTime', at),
    at
  FROM src JOIN sessions s ON s.session_token = printf('ws_seed_%03d', k)
  ORDER BY n`;

export function sqliteSeedDatabase(url: string, file: string, log: (line: string) => void): SeedDatabase {
  const open = <T>(work: (db: BetterSqlite3.Database) => T): T => {
    const db = new BetterSqlite3(file);
    try {
      db.pragma('busy_timeout = 5000');
      return work(db);
    } finally {
      db.close();
    }
  };
  open((db) => {
    db.exec(SEED_STUDENTS);
    db.exec(SEED_SESSIONS_SQL);
  });
  const lists = Object.fromEntries(Object.entries(SEED_LISTS).map(([name, list]) => [name, JSON.stringify(list)]));

  return {
    url,
    grow: async (rows) =>
      open((db) => {
        // Seeding only: a crash here loses nothing the bench needs.
        db.pragma('synchronous = OFF');
        db.pragma('cache_size = -262144');
        const insert = db.prepare(SEED_EVENTS);
        const counted = db.prepare<[], { count: number }>('SELECT count(*) AS count FROM events').get()?.count ?? 0;
        for (let from = counted; from < rows; from += SEED_CHUNK) {
          const to = Math.min(rows, from + SEED_CHUNK);
          insert.run({ from, to: to - 1, ...lists });
          log(`sqlite: ${to.toLocaleString('en-US')} events`);
        }
        db.pragma('wal_checkpoint(TRUNCATE)');
      }),
    // SQLite keeps no statistics unless asked (the service never does) and has no vacuum debt.
    settle: () => Promise.resolve(),
    useSessionIndex: async (kind) =>
      open((db) => {
        db.exec('DROP INDEX IF EXISTS events_session_idx; DROP INDEX IF EXISTS events_session_only_idx');
        db.exec(
          kind === 'composite'
            ? 'CREATE INDEX events_session_idx ON events (session_token, event_id)'
            : 'CREATE INDEX events_session_only_idx ON events (session_token)',
        );
      }),
  };
}
