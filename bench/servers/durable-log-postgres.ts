// The durable-log baseline on PostgreSQL: groups are appended by concurrent multi-row
// INSERTs (synchronous_commit on); with indexBehind, one connection moves the log's rows
// into the indexed table in bulk, as they arrive.
import pg from 'pg';
import { READ_INDEXES, type DurableLog, type LogRow } from './durable-log.js';

const MOVE_BATCH = 2000;
const MOVE = `WITH moved AS (
    DELETE FROM log WHERE id IN (SELECT id FROM log ORDER BY id LIMIT ${MOVE_BATCH}) RETURNING *)
  INSERT INTO events SELECT id, session_token, event_type, event_data, hashtext(student_email), created_at FROM moved`;

export class PostgresLog implements DurableLog {
  readonly maxInFlight = 4;
  private moving: Promise<void> | null = null;
  private appendedSinceMove = false;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly indexBehind: boolean,
  ) {}

  static async open(url: string, indexBehind: boolean): Promise<PostgresLog> {
    const pool = new pg.Pool({ connectionString: url, max: 5, options: '-c synchronous_commit=on' });
    pool.on('error', (error) => process.stderr.write(`idle client error: ${error.message}\n`));
    await pool.query(`CREATE TABLE IF NOT EXISTS log (id bigserial PRIMARY KEY, session_token text, event_type text,
      event_data jsonb, student_email text, created_at timestamptz NOT NULL DEFAULT now())`);
    await pool.query(`CREATE TABLE IF NOT EXISTS events (event_id bigint PRIMARY KEY, session_token text, event_type text,
      event_data jsonb, student_id integer, created_at timestamptz)`);
    for (const [i, columns] of READ_INDEXES.entries()) await pool.query(`CREATE INDEX IF NOT EXISTS events_${i} ON events ${columns}`);
    return new PostgresLog(pool, indexBehind);
  }

  async append(rows: LogRow[]): Promise<void> {
    const columns = [0, 1, 2, 3].map((i) => rows.map((row) => row[i]));
    await this.pool.query('INSERT INTO log (session_token, event_type, event_data, student_email) SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::text[])', columns);
    if (this.indexBehind) this.moveBehind();
  }

  /** One mover at a time; an append while it runs makes it go round again. */
  private moveBehind(): void {
    this.appendedSinceMove = true;
    this.moving ??= this.moveAll()
      .catch((error: unknown) => void process.stderr.write(`moving the log failed: ${String(error)}\n`))
      .finally(() => (this.moving = null));
  }

  private async moveAll(): Promise<void> {
    while (this.appendedSinceMove) {
      this.appendedSinceMove = false;
      let moved: number | null;
      do moved = (await this.pool.query(MOVE)).rowCount;
      while (moved === MOVE_BATCH);
    }
  }

  async close(): Promise<void> {
    await this.moving;
    await this.pool.end();
  }
}
