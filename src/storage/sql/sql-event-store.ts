import { Migrator } from 'kysely';
import {
  StoreUnavailableError,
  type ChangeChannel,
  type ClassActivity,
  type ClassActivityQuery,
  type EventQuery,
  type EventStore,
  type ExportQuery,
  type NewEvent,
  type PoolUse,
  type StoredCredentials,
  type StoredEvent,
} from '../types.js';
import type { AlertStore } from '../../alerts/alert-store.js';
import type { Funnel, FunnelQuery, ProblemQuery, ProblemReport } from '../../analytics/analytics-types.js';
import type { ErasureAudit, ErasureCounts, ErasureSubject } from '../../erasure/erasure-types.js';
import { eraseSubject } from './erase-subject.js';
import { takeLease } from './maintenance-lease.js';
import { countOlder, pruneBatch, type PruneBatch } from './prune-old.js';
import { readFunnel } from './select-funnel.js';
import { streamEvents } from './stream-events.js';
import { readProblems } from './select-problems.js';
import { readClassActivity } from './select-class-activity.js';
import { SqlAlertStore } from './sql-alert-store.js';
import { selectEvents, toStoredEvent } from './select-events.js';
import type { SqlEngine } from './sql-engine.js';

/** The EventStore over any SqlEngine: one query path for every engine. */
export class SqlEventStore implements EventStore {
  readonly writeConcurrency: number;
  readonly changes: ChangeChannel;
  readonly alerts: AlertStore;

  constructor(private readonly engine: SqlEngine) {
    this.writeConcurrency = engine.writeConcurrency;
    this.changes = engine.changes;
    this.alerts = new SqlAlertStore(engine, (operation) => this.guard(operation));
  }

  async migrate(): Promise<void> {
    const { error } = await this.guard(async () => {
      const connection = this.engine.openLongRunning('migrate');
      try {
        const migrator = new Migrator({ db: connection.db, provider: { getMigrations: () => Promise.resolve(this.engine.migrations) } });
        return await migrator.migrateToLatest();
      } finally {
        await connection.release();
      }
    });
    if (error !== undefined) throw newerDatabase(error) ?? this.classify(error);
  }

  insertEvents(events: readonly NewEvent[]): Promise<void> {
    if (events.length === 0) return Promise.resolve();
    return this.guard(async () => {
      try {
        await this.engine.insertEvents(events);
      } catch (error) {
        // A student the engine remembered was deleted meanwhile; it has forgotten what it
        // remembered, so the same group now goes through with fresh lookups.
        if (!this.engine.isMissingReference(error)) throw error;
        await this.engine.insertEvents(events);
      }
    });
  }

  async queryEvents(query: EventQuery): Promise<StoredEvent[]> {
    const rows = await this.guard(async () => {
      const horizon = query.order === 'asc' ? await this.engine.followHorizon() : undefined;
      return selectEvents(this.engine, query, horizon).execute();
    });
    return rows.map((row) => toStoredEvent(this.engine, row));
  }

  async *streamEvents(query: ExportQuery): AsyncGenerator<StoredEvent> {
    try {
      yield* streamEvents(this.engine, query);
    } catch (error) {
      throw this.classify(error);
    }
  }

  async latestSettledEventId(): Promise<number> {
    const row = await this.guard(async () => {
      const horizon = await this.engine.followHorizon();
      const latest = this.engine.db.selectFrom('events as e').select((eb) => eb.fn.max('e.event_id').as('id'));
      return (horizon === undefined ? latest : latest.where(horizon)).executeTakeFirst();
    });
    return row?.id == null ? 0 : this.engine.decodeId(row.id);
  }

  readClassActivity(query: ClassActivityQuery): Promise<ClassActivity> {
    return this.guard(() => readClassActivity(this.engine, query));
  }

  readProblems(query: ProblemQuery): Promise<ProblemReport> {
    return this.guard(() => this.engine.aggregating((db) => readProblems({ ...this.engine, db }, query)));
  }

  readFunnel(query: FunnelQuery): Promise<Funnel> {
    return this.guard(() => this.engine.aggregating((db) => readFunnel({ ...this.engine, db }, query)));
  }

  erase(subject: ErasureSubject, audit: ErasureAudit): Promise<ErasureCounts | null> {
    return this.guard(() => eraseSubject(this.engine, subject, audit));
  }

  pruneBatch(cutoff: Date, batch: number): Promise<PruneBatch> {
    return this.guard(() => pruneBatch(this.engine, cutoff, batch));
  }

  countEventsBefore(cutoff: Date): Promise<number> {
    return this.guard(() => countOlder(this.engine, cutoff));
  }

  takeLease(name: string, holder: string, until: Date): Promise<boolean> {
    return this.guard(() => takeLease(this.engine, name, holder, until));
  }

  async readCredentials(): Promise<StoredCredentials | null> {
    const row = await this.guard(() => this.engine.db.selectFrom('instructor_credentials').select(['token_digest', 'configured_digest']).executeTakeFirst());
    return row === undefined ? null : { tokenDigest: row.token_digest, configuredDigest: row.configured_digest };
  }

  writeCredentials(credentials: StoredCredentials, rotated: boolean): Promise<void> {
    const row = {
      id: 1,
      token_digest: credentials.tokenDigest,
      configured_digest: credentials.configuredDigest,
      rotated_at: rotated ? this.engine.encodeTime(new Date()) : null,
    };
    return this.guard(() =>
      this.engine.writeTransaction(async (trx) => {
        await trx
          .insertInto('instructor_credentials')
          .values(row)
          .onConflict((conflict) => conflict.column('id').doUpdateSet(row))
          .execute();
        // The old token signed these in: a rotation ends them all, on every instance.
        if (rotated) await trx.deleteFrom('instructor_sessions').execute();
      }),
    );
  }

  startInstructorSession(digest: string, expiresAt: Date): Promise<void> {
    const { db } = this.engine;
    return this.guard(async () => {
      // Sign-ins are rare: the expired ones are cleared as new ones arrive.
      await db.deleteFrom('instructor_sessions').where('expires_at', '<', this.engine.encodeTime(new Date())).execute();
      await db.insertInto('instructor_sessions').values({ digest, expires_at: this.engine.encodeTime(expiresAt) }).execute();
    });
  }

  async isInstructorSession(digest: string, now: Date): Promise<boolean> {
    const { db } = this.engine;
    const row = await this.guard(() =>
      db.selectFrom('instructor_sessions').select('digest').where('digest', '=', digest).where('expires_at', '>', this.engine.encodeTime(now)).executeTakeFirst(),
    );
    return row !== undefined;
  }

  async endInstructorSession(digest: string): Promise<void> {
    await this.guard(() => this.engine.db.deleteFrom('instructor_sessions').where('digest', '=', digest).execute());
  }

  async ping(): Promise<void> {
    await this.guard(() => this.engine.db.selectNoFrom((eb) => eb.lit(1).as('ok')).execute());
  }

  poolUse(): PoolUse | null {
    return this.engine.poolUse();
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

/** Kysely's refusal of a database that has a migration this code does not know, said plainly. */
function newerDatabase(error: unknown): Error | undefined {
  const unknown = /previously executed migration (\S+) is missing/.exec(error instanceof Error ? error.message : '')?.[1];
  return unknown === undefined
    ? undefined
    : new Error(`the database was migrated by a newer version of session-log (migration ${unknown} is unknown to this one)`);
}
