// What durable single-event ingest can reach on this machine, without the service's
// features: a bare Fastify route that appends each event to one unindexed SQLite table
// (WAL, synchronous=FULL) on a worker thread, concurrent requests committed together,
// each answered after its commit. With INDEX_BEHIND=1 a second thread copies the log,
// in bulk and behind the acknowledgements, into a table with the indexes the service's
// reads need: the cost of keeping those reads fast, without any per-request work.
// Env: PORT, HOST, DB (the log's file; the indexed table is in DB.indexed), INDEX_BEHIND.
import Fastify from 'fastify';
import { Worker } from 'node:worker_threads';
import { workerModule } from '../../src/worker-module.js';
import type { LogRow } from './durable-log-threads.js';

interface Waiting {
  row: LogRow;
  resolve: () => void;
}

const file = process.env.DB ?? 'durable-log.db';
const thread = (role: 'append' | 'index') =>
  new Worker(workerModule('durable-log-threads', import.meta.url), { workerData: { role, log: file, indexed: `${file}.indexed` } });

const appender = thread('append');
const indexer = process.env.INDEX_BEHIND === '1' ? thread('index') : null;
indexer?.on('message', (indexedUpTo: number) => appender.postMessage({ indexedUpTo }));

const MAX_IN_FLIGHT = 2;
let queue: Waiting[] = [];
const inFlight = new Map<number, Waiting[]>();
let nextGroup = 0;
let scheduled = false;

function commitNext(): void {
  scheduled = false;
  if (queue.length === 0 || inFlight.size >= MAX_IN_FLIGHT) return;
  const id = nextGroup++;
  inFlight.set(id, queue);
  appender.postMessage({ id, rows: queue.map((waiting) => waiting.row) });
  queue = [];
}

appender.on('message', (id: number) => {
  const group = inFlight.get(id) ?? [];
  inFlight.delete(id);
  commitNext();
  for (const waiting of group) waiting.resolve();
  indexer?.postMessage('appended');
});

const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });

app.post<{ Body: { sessionToken: string; eventType: string; eventData: unknown; studentEmail?: string } }>('/api/session-log', async (request) => {
  const { sessionToken, eventType, eventData, studentEmail } = request.body;
  await new Promise<void>((resolve) => {
    queue.push({ row: [sessionToken, eventType, JSON.stringify(eventData), studentEmail ?? null], resolve });
    if (!scheduled) {
      scheduled = true;
      setImmediate(commitNext);
    }
  });
  return { success: true, message: 'Event logged successfully' };
});
app.get('/healthz', async () => ({ status: 'ok' }));

await app.listen({ port: Number(process.env.PORT ?? 3000), host: process.env.HOST ?? '127.0.0.1' });
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => void app.close().then(() => process.exit(0)));
}
