// The durable-log baseline on SQLite: the log is appended to by one worker thread; with
// indexBehind, a second thread copies it into `<file>.indexed` (durable-log-threads.ts).
import { Worker } from 'node:worker_threads';
import { workerModule } from '../../src/worker-module.js';
import type { NewEvent } from '../../src/storage/types.js';
import { IndexBacklog, toLogRow, type DurableLog } from './durable-log.js';

/** What the indexer thread says after each copy. */
export interface IndexProgress {
  /** The last log id copied. */
  upTo: number;
  rows: number;
}

export class SqliteLog implements DurableLog {
  /** One group commits while the next waits in the worker, as in the service's writer. */
  readonly writeConcurrency = 2;
  private readonly appender: Worker;
  private readonly indexer: Worker | null;
  private readonly backlog = new IndexBacklog();
  private readonly pending = new Map<number, () => void>();
  private nextGroup = 0;

  constructor(file: string, indexBehind: boolean) {
    const thread = (role: 'append' | 'index') => {
      const worker = new Worker(workerModule('durable-log-threads', import.meta.url), { workerData: { role, log: file, indexed: `${file}.indexed` } });
      // A baseline that cannot store must not go on answering: stop, loudly.
      worker.on('error', (error) => {
        process.stderr.write(`durable-log ${role} thread failed: ${error.stack ?? error.message}\n`);
        process.exit(1);
      });
      return worker;
    };
    this.appender = thread('append');
    this.indexer = indexBehind ? thread('index') : null;
    this.indexer?.on('message', ({ upTo, rows }: IndexProgress) => {
      this.backlog.settled(rows);
      this.appender.postMessage({ indexedUpTo: upTo });
    });
    this.appender.on('message', (group: number) => {
      this.pending.get(group)?.();
      this.pending.delete(group);
      this.indexer?.postMessage('appended');
    });
  }

  async insertEvents(events: readonly NewEvent[]): Promise<void> {
    if (this.indexer !== null) await this.backlog.reserve(events.length);
    const group = this.nextGroup++;
    return new Promise((resolve) => {
      this.pending.set(group, resolve);
      this.appender.postMessage({ group, rows: events.map(toLogRow) });
    });
  }

  async close(): Promise<void> {
    await Promise.all([this.appender.terminate(), this.indexer?.terminate()]);
  }
}
