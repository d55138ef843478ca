// What durable single-event ingest can reach on this machine without the service's
// features: a bare Fastify route that appends each event to one unindexed table,
// concurrent requests committed together (one transaction per group), each answered
// after its commit. With INDEX_BEHIND=1 the log is copied, in bulk and behind the
// acknowledgements, into a table with the indexes the service's reads need: the cost of
// keeping those reads fast, without any per-request work.
// Env: PORT, HOST, DATABASE_URL (sqlite:<file> or postgres://…), INDEX_BEHIND=1.
import Fastify from 'fastify';
import type { DurableLog, LogRow } from './durable-log.js';
import { PostgresLog } from './durable-log-postgres.js';
import { SqliteLog } from './durable-log-sqlite.js';

interface Waiting {
  row: LogRow;
  resolve: () => void;
  reject: (error: unknown) => void;
}

const url = process.env.DATABASE_URL ?? 'sqlite:durable-log.db';
const indexBehind = process.env.INDEX_BEHIND === '1';
const log: DurableLog = url.startsWith('sqlite:') ? new SqliteLog(url.slice('sqlite:'.length), indexBehind) : await PostgresLog.open(url, indexBehind);

let queue: Waiting[] = [];
let inFlight = 0;
let scheduled = false;

function commitNext(): void {
  scheduled = false;
  if (queue.length === 0 || inFlight >= log.maxInFlight) return;
  const group = queue;
  queue = [];
  inFlight += 1;
  const settle = (error?: unknown) => {
    inFlight -= 1;
    commitNext();
    for (const waiting of group) {
      if (error === undefined) waiting.resolve();
      else waiting.reject(error);
    }
  };
  log.append(group.map((waiting) => waiting.row)).then(() => settle(), settle);
}

const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });

app.post<{ Body: { sessionToken: string; eventType: string; eventData: unknown; studentEmail?: string } }>('/api/session-log', async (request) => {
  const { sessionToken, eventType, eventData, studentEmail } = request.body;
  await new Promise<void>((resolve, reject) => {
    queue.push({ row: [sessionToken, eventType, JSON.stringify(eventData), studentEmail ?? null], resolve, reject });
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
  process.once(signal, () => void app.close().then(() => log.close()).then(() => process.exit(0)));
}
