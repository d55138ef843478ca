import type pg from 'pg';
import { StudentCache, type KnownStudent } from '../sql/student-cache.js';
import { planStudents } from '../sql/student-links.js';
import type { NewEvent } from '../types.js';
import { insertEventsStatement } from './insert-events-statement.js';

/**
 * One statement per group. Students this process already knows are passed by id, so a
 * class in full swing writes only events; new students are upserted in the same statement.
 */
export class PostgresEventWriter {
  private readonly cache = new StudentCache();

  constructor(private readonly pool: pg.Pool) {}

  async insertEvents(events: readonly NewEvent[]): Promise<void> {
    const known = new Map<string, KnownStudent>();
    const upserts = new Map<string, string | null>();
    for (const [email, name] of planStudents(events).students) {
      const student = this.cache.current(email, name);
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
