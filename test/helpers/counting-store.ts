import type { EventStore, NewEvent } from '../../src/storage/types.js';

/**
 * A real store that records each transaction's size, and can hold commits at a gate
 * so a test decides when the database "finishes" writing.
 */
export class CountingStore implements EventStore {
  readonly groups: number[] = [];
  private gate: Promise<void> | null = null;
  private openGate: (() => void) | null = null;

  readonly writeConcurrency: number;

  constructor(private readonly inner: EventStore) {
    this.writeConcurrency = inner.writeConcurrency;
  }

  hold(): void {
    this.gate = new Promise((resolve) => {
      this.openGate = resolve;
    });
  }

  release(): void {
    this.openGate?.();
    this.gate = null;
  }

  async insertEvents(events: readonly NewEvent[]): Promise<void> {
    this.groups.push(events.length);
    if (this.gate !== null) await this.gate;
    await this.inner.insertEvents(events);
  }

  migrate = () => this.inner.migrate();
  queryEvents: EventStore['queryEvents'] = (query) => this.inner.queryEvents(query);
  ping = () => this.inner.ping();
  close = () => this.inner.close();
}
