// The durable-log baseline on PostgreSQL: groups are appended by concurrent multi-row
// INSERTs (synchronous_commit on), which PostgreSQL's own group commit can share an
// fsync between; with indexBehind, one connection moves the log's rows into the indexed
// table in bulk, as they arrive.
import pg from 'pg';
import type { NewEvent } from '../../src/storage/types.js';
import { INDEX_BATCH, IndexBacklog, READ_INDEXES, toLogRow, type DurableLog } from './durable-log.js';

const MOVE = `WITH moved AS (
    DELETE FROM log WHERE id IN (SELECT id FROM log ORDER BY id LIMIT ${INDEX_BATCH}) RETURNING *)
  INSERT INTO events SELECT id, session_token, event_type, event_data, hashtext(student_email), created_at FROM moved`;

/** No lock orders these appends, so concurrent ones commit in parallel. */
const APPENDS_IN_FLIGHT = 4;

export class PostgresLog implements DurableLog {
  readonly writeConcurrency = APPENDS_IN_FLIGHT;
  private readonly backlog = new IndexBacklog();
  private moving: Promise<void> | null = null;
  private appendedSinceMove = false;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly indexBehind: boolean,
  ) {}

  static async open(url: string, indexBehind: boolean): Promise<PostgresLog> {
    // One connection per append in flight, and one for the mover.
    const pool = new pg.Pool({ connectionString: url, max: APPENDS_IN_FLIGHT + 1, options: '-c synchronous_commit=on' });
    pool.on('error', (error) => process.stderr.write(`idle client error: ${error.message}\n`));
    await pool.query(`CREATE TABLE IF NOT EXISTS log (id bigserial PRIMARY KEY, session_token text, event_type text,
      event_data jsonb, student_email text, created_at timestamptz NOT NULL DEFAULT now())`);
    await pool.query(`CREATE TABLE IF NOT EXISTS events (event_id bigint PRIMARY KEY, session_token text, event_type text,
      event_data jsonb, student_id integer, created_at timestamptz)`);
    for (const [i, columns] of READ_INDEXES.entries()) await pool.query(`CREATE INDEX IF NOT EXISTS events_${i} ON events ${columns}`);
    return new PostgresLog(pool, indexBehind);
  }

  async insertEvents(events: readonly NewEvent[]): Promise<void> {
    if (this.indexBehind) await this.backlog.reserve(events.length);
    const rows = events.map(toLogRow);
    const columns = [0, 1, 2, 3].map((i) => rows.map((row) => row[i]));
    try {
      await this.pool.query('INSERT INTO log (session_token, event_type, event_data, student_email) SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::text[])', columns);
    } catch (error) {
      if (this.indexBehind) this.backlog.settled(rows.length);
      throw error;
    }
    if (this.indexBehind) this.moveBehind();
  }

  /** One mover at a time; an append while it runs makes it go round again. */
  private moveBehind(): void {
    this.appendedSinceMove = true;
    this.moving ??= this.moveAll()
      .catch((error: unknown) => {
        // A baseline that cannot index must not go on answering: stop, loudly.
        process.stderr.write(`moving the log failed: ${String(error)}\n`);
        process.exit(1);
      })
      .finally(() => (this.moving = null));
  }

  private async moveAll(): Promise<void> {
    while (this.appendedSinceMove) {
      this.appendedSinceMove = false;
      let moved: number;
      do {
        moved = (await this.pool.query(MOVE)).rowCount ?? 0;
        this.backlog.settled(moved);
      } while (moved === INDEX_BATCH);
    }
  }

  async close(): Promise<void> {
    await this.moving;
    await this.pool.end();
  }
}
