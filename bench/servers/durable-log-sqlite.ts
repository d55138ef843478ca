// The durable-log baseline on SQLite: the log is appended to by one worker thread; with
// indexBehind, a second thread copies it into `<file>.indexed` (durable-log-threads.ts).
import { Worker } from 'node:worker_threads';
import { workerModule } from '../../src/worker-module.js';
import type { DurableLog, LogRow } from './durable-log.js';

export class SqliteLog implements DurableLog {
  readonly maxInFlight = 2;
  private readonly appender: Worker;
  private readonly indexer: Worker | null;
  private readonly pending = new Map<number, () => void>();
  private nextGroup = 0;

  constructor(file: string, indexBehind: boolean) {
    const thread = (role: 'append' | 'index') =>
      new Worker(workerModule('durable-log-threads', import.meta.url), { workerData: { role, log: file, indexed: `${file}.indexed` } });
    this.appender = thread('append');
    this.indexer = indexBehind ? thread('index') : null;
    this.indexer?.on('message', (indexedUpTo: number) => this.appender.postMessage({ indexedUpTo }));
    this.appender.on('message', (group: number) => {
      this.pending.get(group)?.();
      this.pending.delete(group);
      this.indexer?.postMessage('appended');
    });
  }

  append(rows: LogRow[]): Promise<void> {
    const group = this.nextGroup++;
    return new Promise((resolve) => {
      this.pending.set(group, resolve);
      this.appender.postMessage({ group, rows });
    });
  }

  async close(): Promise<void> {
    await Promise.all([this.appender.terminate(), this.indexer?.terminate()]);
  }
}
