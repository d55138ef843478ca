import { Migrator, type Transaction } from 'kysely';
import { StoreUnavailableError, type EventQuery, type EventStore, type NewEvent, type StoredEvent } from '../types.js';
import type { Database } from './database.js';
import { selectEvents } from './select-events.js';
import type { SqlEngine } from './sql-engine.js';
import { assignStudents, planStudents } from './student-links.js';

/** Rows per INSERT statement: well under SQLite's and PostgreSQL's bound-parameter limits. */
const INSERT_CHUNK = 1000;

/** The EventStore over any SqlEngine: one query path for every engine. */
export class SqlEventStore implements EventStore {
  constructor(private readonly engine: SqlEngine) {}

  async migrate(): Promise<void> {
    const migrator = new Migrator({
      db: this.engine.db,
      provider: { getMigrations: () => Promise.resolve(this.engine.migrations) },
    });
    const { error } = await this.guard(() => migrator.migrateToLatest());
    if (error !== undefined) throw this.classify(error);
  }

  async insertEvents(events: readonly NewEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.guard(() => this.engine.db.transaction().execute(async (trx) => {
      await this.engine.serializeWrites(trx);
      const plan = planStudents(events);
      const studentIds = await upsertStudents(trx, plan.students);
      const sessionLinks = await readSessionLinks(trx, plan.tokens);
      const { studentOf, changedLinks } = assignStudents(events, studentIds, sessionLinks);
      await writeSessionLinks(trx, changedLinks);
      await this.insertRows(trx, events, studentOf);
    }));
  }

  private async insertRows(trx: Transaction<Database>, events: readonly NewEvent[], studentOf: Array<number | null>) {
    const rows = events.map((event, i) => ({
      student_id: studentOf[i] ?? null,
      session_token: event.sessionToken,
      event_type: event.eventType,
      event_data: this.engine.encodeData(event.eventData),
      created_at: this.engine.now(),
      client_event_id: event.eventId ?? null,
    }));
    for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
      await trx
        .insertInto('events')
        .values(rows.slice(start, start + INSERT_CHUNK))
        .onConflict((oc) => oc.column('client_event_id').doNothing())
        .execute();
    }
  }

  async queryEvents(query: EventQuery): Promise<StoredEvent[]> {
    const rows = await this.guard(() => selectEvents(this.engine, query).execute());
    return rows.map((row) => ({
      event_id: this.engine.decodeId(row.event_id),
      session_token: row.session_token,
      event_type: row.event_type,
      event_data: this.engine.decodeData(row.event_data),
      created_at: this.engine.decodeTime(row.created_at),
      student_email: row.student_email,
      student_name: row.student_name,
    }));
  }

  async ping(): Promise<void> {
    await this.guard(() => this.engine.db.selectNoFrom((eb) => eb.lit(1).as('ok')).execute());
  }

  close(): Promise<void> {
    return this.engine.close();
  }

  private async guard<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw this.classify(error);
    }
  }

  private classify(error: unknown): unknown {
    return this.engine.isTransient(error) ? new StoreUnavailableError(error) : error;
  }
}

/** Creates missing students, updates changed names; returns email → student_id. */
async function upsertStudents(trx: Transaction<Database>, students: ReadonlyMap<string, string | null>) {
  const ids = new Map<string, number>();
  if (students.size === 0) return ids;
  const rows = [...students].sort(([a], [b]) => a.localeCompare(b)).map(([email, name]) => ({ email, name }));
  await trx
    .insertInto('students')
    .values(rows)
    .onConflict((oc) =>
      oc
        .column('email')
        .doUpdateSet((eb) => ({ name: eb.ref('excluded.name') }))
        .where((eb) =>
          eb.and([eb('excluded.name', 'is not', null), eb('students.name', 'is distinct from', eb.ref('excluded.name'))]),
        ),
    )
    .execute();
  const found = await trx
    .selectFrom('students')
    .select(['student_id', 'email'])
    .where('email', 'in', [...students.keys()])
    .execute();
  for (const row of found) ids.set(row.email, Number(row.student_id));
  return ids;
}

async function readSessionLinks(trx: Transaction<Database>, tokens: string[]) {
  const rows = await trx
    .selectFrom('sessions')
    .select(['session_token', 'student_id'])
    .where('session_token', 'in', tokens)
    .execute();
  return new Map(rows.map((row) => [row.session_token, Number(row.student_id)]));
}

async function writeSessionLinks(trx: Transaction<Database>, links: ReadonlyMap<string, number>) {
  if (links.size === 0) return;
  const rows = [...links].sort(([a], [b]) => a.localeCompare(b));
  await trx
    .insertInto('sessions')
    .values(rows.map(([session_token, student_id]) => ({ session_token, student_id })))
    .onConflict((oc) => oc.column('session_token').doUpdateSet((eb) => ({ student_id: eb.ref('excluded.student_id') })))
    .execute();
}
