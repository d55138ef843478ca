import pg from 'pg';
import type { SeedDatabase } from './seed.js';
import { SEED_CHUNK, SEED_EPOCH_S, SEED_LISTS, SEED_SESSIONS } from './seed-shape.js';

const SEED_STUDENTS = `
  INSERT INTO students (email, name)
  SELECT format('student%s@seed.example.edu', lpad(i::text, 3, '0')), format('Student %s', i)
  FROM generate_series(0, ${SEED_SESSIONS - 1}) AS i
  ON CONFLICT (email) DO NOTHING`;

const SEED_SESSIONS_SQL = `
  INSERT INTO sessions (session_token, student_id)
  SELECT 'ws_seed_' || substr(email, 8, 3), student_id FROM students WHERE email LIKE '%@seed.example.edu'
  ON CONFLICT (session_token) DO NOTHING`;

/** Events $1..$2; $3.. are the SEED_LISTS arrays. */
const SEED_EVENTS = `
  WITH src AS (
    SELECT n, h, (h % ${SEED_SESSIONS})::int AS k, ((h / 500) % 100)::int AS t, ((h / 50000) % 100)::int AS u,
           ((h / 5000000) % 6)::int AS step, to_timestamp(${SEED_EPOCH_S} + n * 0.005) AS at
    FROM generate_series($1::bigint, $2::bigint) AS n,
         LATERAL (SELECT (n * 2654435761) % 4294967296 AS h) AS mix
  )
  INSERT INTO events (student_id, session_token, event_type, event_data, created_at)
  SELECT s.student_id, s.session_token,
    CASE WHEN t < 30 THEN 'api_call' WHEN t < 60 THEN 'navigation' WHEN t < 90 THEN 'action' ELSE 'error' END,
    CASE
      WHEN t < 30 THEN jsonb_build_object('endpoint', ($5::text[])[(h % 4)::int + 1], 'method', 'POST',
        'status', CASE WHEN u < 5 THEN ($8::int[])[u + 1] ELSE 200 END, 'durationMs', 50 + h % 4000,
        'model', 'gpt-4o-mini', 'requestId', 'req_' || to_hex(h))
      WHEN t < 60 THEN jsonb_build_object('from', step, 'to', least(step + 1, 5), 'stepName', ($3::text[])[least(step + 1, 5) + 1],
        'url', '/workshop/steps/' || least(step + 1, 5), 'viewport', jsonb_build_object('width', 1440, 'height', 900))
      WHEN t < 90 THEN jsonb_build_object('actionName', ($4::text[])[(h % 5)::int + 1], 'validated', u % 10 < 7,
        'currentStep', step, 'stepName', ($3::text[])[step + 1], 'elapsedMs', h % 600000)
      ELSE jsonb_build_object('errorType', ($6::text[])[u % 3 + 1], 'message', ($7::text[])[u % 3 + 1],
        'currentStep', step, 'stepName', ($3::text[])[step + 1], 'recoverable', true)
    END || jsonb_build_object('clientTime', to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
    at
  FROM src JOIN sessions s ON s.session_token = 'ws_seed_' || lpad(k::text, 3, '0')
  ORDER BY n`;

export async function postgresSeedDatabase(url: string, log: (line: string) => void): Promise<SeedDatabase> {
  const connect = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  await connect(async (client) => {
    await client.query(SEED_STUDENTS);
    await client.query(SEED_SESSIONS_SQL);
  });
  const lists = [SEED_LISTS.steps, SEED_LISTS.actions, SEED_LISTS.endpoints, SEED_LISTS.errorTypes, SEED_LISTS.errorMessages, SEED_LISTS.statuses];

  return {
    url,
    grow: (rows) =>
      connect(async (client) => {
        const { rows: counted } = await client.query<{ count: string }>('SELECT count(*) AS count FROM events');
        for (let from = Number(counted[0]?.count ?? 0); from < rows; from += SEED_CHUNK) {
          const to = Math.min(rows, from + SEED_CHUNK);
          await client.query(SEED_EVENTS, [from, to - 1, ...lists]);
          log(`postgres: ${to.toLocaleString('en-US')} events`);
        }
        // What autovacuum would do soon after a bulk load: statistics and the visibility map.
        await client.query('VACUUM (ANALYZE) events');
        await client.query('ANALYZE students, sessions');
      }),
    settle: () => connect((client) => client.query('VACUUM (ANALYZE)').then(() => undefined)),
    useSessionIndex: (kind) =>
      connect(async (client) => {
        await client.query('DROP INDEX IF EXISTS events_session_idx');
        await client.query('DROP INDEX IF EXISTS events_session_only_idx');
        await client.query(
          kind === 'composite'
            ? 'CREATE INDEX events_session_idx ON events (session_token, event_id)'
            : 'CREATE INDEX events_session_only_idx ON events (session_token)',
        );
        await client.query('ANALYZE events');
      }),
  };
}
