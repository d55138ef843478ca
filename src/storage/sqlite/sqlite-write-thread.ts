import { Worker } from 'node:worker_threads';
import { StoreUnavailableError, type NewEvent } from '../types.js';
import type { WriteReply, WriteRequest } from './sqlite-write-protocol.js';

const RUNNING_TYPESCRIPT = import.meta.url.endsWith('.ts');

/**
 * Built, the worker is a plain module. Under tsx (tests, npm run dev) a worker thread
 * does not inherit tsx's loader (tsx issue #354), so a one-line bootstrap registers it
 * first; tsx is a development dependency and only then present.
 */
function workerEntry(): URL {
  const worker = new URL(`./sqlite-write-worker${RUNNING_TYPESCRIPT ? '.ts' : '.js'}`, import.meta.url);
  if (!RUNNING_TYPESCRIPT) return worker;
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(worker.href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`);
}

interface Pending {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * The SQLite write connection, on its own thread. Started on first use (after the
 * migrations); restarted on the next write if it ever dies.
 */
export class SqliteWriteThread {
  /** The worker merges whatever is queued into its next transaction: send groups as they form. */
  readonly concurrency = 16;
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(private readonly file: string) {}

  insertEvents(events: readonly NewEvent[]): Promise<void> {
    const worker = (this.worker ??= this.start());
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ kind: 'insert', id, events } satisfies WriteRequest);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    if (worker === null) return;
    this.worker = null;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.postMessage({ kind: 'close' } satisfies WriteRequest);
    await exited;
  }

  private start(): Worker {
    const worker = new Worker(workerEntry(), { workerData: { file: this.file } });
    worker.on('message', (reply: WriteReply) => this.settle(reply));
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = null;
      this.failAll(new Error('the SQLite write thread stopped'));
    });
    return worker;
  }

  private settle(reply: WriteReply): void {
    const pending = this.pending.get(reply.id);
    this.pending.delete(reply.id);
    if (reply.error === undefined) pending?.resolve();
    else pending?.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
  }

  private failAll(cause: unknown): void {
    for (const pending of this.pending.values()) pending.reject(new StoreUnavailableError(cause));
    this.pending.clear();
  }
}
