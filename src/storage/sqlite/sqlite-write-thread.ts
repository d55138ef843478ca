import { Worker } from 'node:worker_threads';
import { StoreUnavailableError, type NewEvent } from '../types.js';
import type { WriteReply, WriteRequest } from './sqlite-write-protocol.js';
import { workerModule } from '../../worker-module.js';

interface Pending {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** One worker and the writes it has not answered yet. */
interface WriteWorker {
  worker: Worker;
  pending: Map<number, Pending>;
}

/**
 * The SQLite write connection, on its own thread. Started on first use (after the
 * migrations); started again on the next write if it ever dies.
 */
export class SqliteWriteThread {
  /**
   * Groups handed to the worker at once: one committing, the others queued there, which
   * the worker then commits together in one transaction (sqlite-write-worker.ts). It never
   * waits for us, and the groups it commits are as large as what arrived meanwhile (four:
   * ×1.10 single-event requests per second over two groups one at a time; eight: ×1.05).
   */
  readonly concurrency = 4;
  private current: WriteWorker | null = null;
  private closed = false;
  private nextId = 1;

  constructor(private readonly file: string) {}

  insertEvents(events: readonly NewEvent[]): Promise<void> {
    if (this.closed) return Promise.reject(new StoreUnavailableError('the store is closed'));
    const { worker, pending } = (this.current ??= this.start());
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ kind: 'insert', id, events } satisfies WriteRequest);
    });
  }

  /** Resolves once the writes already sent are answered and the connection is closed. */
  async close(): Promise<void> {
    this.closed = true;
    const current = this.current;
    if (current === null) return;
    const exited = new Promise((resolve) => current.worker.once('exit', resolve));
    current.worker.postMessage({ kind: 'close' } satisfies WriteRequest);
    await exited;
  }

  private start(): WriteWorker {
    const started: WriteWorker = { worker: new Worker(workerModule('sqlite-write-worker', import.meta.url), { workerData: { file: this.file } }), pending: new Map() };
    const { worker, pending } = started;
    worker.on('message', (reply: WriteReply) => {
      const waiting = pending.get(reply.id);
      pending.delete(reply.id);
      if (reply.error === undefined) waiting?.resolve();
      else waiting?.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
    });
    const failAll = (cause: unknown) => {
      for (const waiting of pending.values()) waiting.reject(new StoreUnavailableError(cause));
      pending.clear();
    };
    worker.on('error', failAll);
    worker.on('exit', () => {
      if (this.current === started) this.current = null;
      failAll(new Error('the SQLite write thread stopped'));
    });
    return started;
  }
}
