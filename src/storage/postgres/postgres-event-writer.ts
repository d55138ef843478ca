import type pg from 'pg';
import { StudentCache, type KnownStudent } from '../sql/student-cache.js';
import { planStudents } from '../sql/student-links.js';
import { StoreUnavailableError, type NewEvent } from '../types.js';
import { insertEventsStatement } from './insert-events-statement.js';

const FOREIGN_KEY_VIOLATION = '23503';

/**
 * One statement per group. Students this process already knows are passed by id, so a
 * class in full swing writes only events; new students are upserted in the same statement.
 */
export class PostgresEventWriter {
  private readonly cache = new StudentCache();
  private readonly writing = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly pool: pg.Pool) {}

  insertEvents(events: readonly NewEvent[]): Promise<void> {
    if (this.closed) return Promise.reject(new StoreUnavailableError('the store is closed'));
    const write = this.insertGroup(events);
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

  private async insertGroup(events: readonly NewEvent[]): Promise<void> {
    try {
      await this.write(events);
    } catch (error) {
      // A remembered student deleted meanwhile: the same group goes through with fresh upserts.
      if ((error as { code?: string }).code !== FOREIGN_KEY_VIOLATION) throw error;
      await this.write(events);
    }
  }

  private async write(events: readonly NewEvent[]): Promise<void> {
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
      // Whatever went wrong, do not trust what we remembered.
      this.cache.clear();
      throw error;
    }
  }
}
