import type pg from 'pg';
import { BoundedCache, currentStudent, type KnownStudent } from '../sql/bounded-cache.js';
import { planStudents } from '../sql/student-links.js';
import { StoreUnavailableError, type NewEvent } from '../types.js';
import { insertEventsStatement } from './insert-events-statement.js';

/**
 * How long a student is remembered. Another instance may rename them meanwhile; a name
 * this one sees again is then written again within this time (last name sent wins).
 */
const STUDENT_MEMORY_MS = 10_000;

/**
 * One statement per group. Students this process already knows are passed by id, so a
 * class in full swing writes only events; new students are upserted in the same statement.
 */
export class PostgresEventWriter {
  private readonly cache: BoundedCache<string, KnownStudent>;
  private readonly writing = new Set<Promise<void>>();
  private closed = false;

  constructor(
    private readonly pool: pg.Pool,
    studentMemoryMs = STUDENT_MEMORY_MS,
  ) {
    this.cache = new BoundedCache(studentMemoryMs);
  }

  insertEvents(events: readonly NewEvent[]): Promise<void> {
    if (this.closed) return Promise.reject(new StoreUnavailableError('the store is closed'));
    const write = this.write(events);
    const settled = write.then(
      () => undefined,
      () => undefined,
    );
    this.writing.add(settled);
    void settled.then(() => this.writing.delete(settled));
    return write;
  }

  /** Refuses new writes and resolves once those under way have settled (before the pool ends). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.writing);
  }

  private async write(events: readonly NewEvent[]): Promise<void> {
    const known = new Map<string, KnownStudent>();
    const upserts = new Map<string, string | null>();
    for (const [email, name] of planStudents(events).students) {
      const student = currentStudent(this.cache, email, name);
      if (student === undefined) upserts.set(email, name);
      else known.set(email, student);
    }
    try {
      const result = await this.pool.query<{ student_id: string; email: string; name: string | null }>(
        insertEventsStatement(events, known, upserts),
      );
      this.cache.remember(new Map(result.rows.map((row) => [row.email, { id: Number(row.student_id), name: row.name }])));
    } catch (error) {
      // Whatever went wrong, do not trust what we remembered (a student may be gone).
      this.cache.clear();
      throw error;
    }
  }
}
