import type { EventStore, NewEvent } from '../../src/storage/types.js';

/**
 * A real store that records each transaction's size, can hold commits at a gate so a
 * test decides when the database "finishes" writing, and can fail one transaction.
 */
export class CountingStore implements EventStore {
  readonly groups: number[] = [];
  private gate: Promise<void> | null = null;
  private failure: Error | null = null;
  private openGate: (() => void) | null = null;

  readonly writeConcurrency: number;
  readonly changes: EventStore['changes'];
  readonly alerts: EventStore['alerts'];

  constructor(private readonly inner: EventStore) {
    this.writeConcurrency = inner.writeConcurrency;
    this.changes = inner.changes;
    this.alerts = inner.alerts;
  }

  hold(): void {
    this.gate = new Promise((resolve) => {
      this.openGate = resolve;
    });
  }

  /** The next transaction fails with `error` (as the real store does when the database is down). */
  failNext(error: Error): void {
    this.failure = error;
  }

  release(): void {
    this.openGate?.();
    this.gate = null;
  }

  async insertEvents(events: readonly NewEvent[]): Promise<void> {
    this.groups.push(events.length);
    if (this.gate !== null) await this.gate;
    const failure = this.failure;
    this.failure = null;
    if (failure !== null) throw failure;
    await this.inner.insertEvents(events);
  }

  migrate = () => this.inner.migrate();
  queryEvents: EventStore['queryEvents'] = (query) => this.inner.queryEvents(query);
  latestSettledEventId = () => this.inner.latestSettledEventId();
  streamEvents: EventStore['streamEvents'] = (query) => this.inner.streamEvents(query);
  readClassActivity: EventStore['readClassActivity'] = (query) => this.inner.readClassActivity(query);
  readProblems: EventStore['readProblems'] = (query) => this.inner.readProblems(query);
  readFunnel: EventStore['readFunnel'] = (query) => this.inner.readFunnel(query);
  erase: EventStore['erase'] = (subject, audit) => this.inner.erase(subject, audit);
  pruneBatch: EventStore['pruneBatch'] = (cutoff, batch) => this.inner.pruneBatch(cutoff, batch);
  countEventsBefore: EventStore['countEventsBefore'] = (cutoff) => this.inner.countEventsBefore(cutoff);
  takeLease: EventStore['takeLease'] = (name, holder, until) => this.inner.takeLease(name, holder, until);
  readCredentials: EventStore['readCredentials'] = () => this.inner.readCredentials();
  writeCredentials: EventStore['writeCredentials'] = (credentials, rotated) => this.inner.writeCredentials(credentials, rotated);
  startInstructorSession: EventStore['startInstructorSession'] = (digest, expiresAt) => this.inner.startInstructorSession(digest, expiresAt);
  isInstructorSession: EventStore['isInstructorSession'] = (digest, now) => this.inner.isInstructorSession(digest, now);
  endInstructorSession: EventStore['endInstructorSession'] = (digest) => this.inner.endInstructorSession(digest);
  ping = () => this.inner.ping();
  poolUse = () => this.inner.poolUse();
  close = () => this.inner.close();
}
