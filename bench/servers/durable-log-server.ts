// What durable single-event ingest can reach on this machine without the service's
// features: a bare Fastify route that appends each event to one unindexed table through
// the service's own group commit (one transaction per group, each request answered after
// its commit). With INDEX_BEHIND=1 the log is copied, in bulk and behind the
// acknowledgements, into a table with the indexes the service's reads need: the cost of
// keeping those reads fast, without any per-request work.
// Env: PORT, HOST, DATABASE_URL (sqlite:<file> or postgres://…), INDEX_BEHIND=1.
import Fastify from 'fastify';
import { GroupCommitter, groupCommitFor } from '../../src/ingest/group-commit.js';
import type { DurableLog } from './durable-log.js';
import { PostgresLog } from './durable-log-postgres.js';
import { SqliteLog } from './durable-log-sqlite.js';

const url = process.env.DATABASE_URL ?? 'sqlite:durable-log.db';
const indexBehind = process.env.INDEX_BEHIND === '1';
const log: DurableLog = url.startsWith('sqlite:') ? new SqliteLog(url.slice('sqlite:'.length), indexBehind) : await PostgresLog.open(url, indexBehind);
const committer = new GroupCommitter(log, groupCommitFor(log));

const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });

app.post<{ Body: { sessionToken: string; eventType: string; eventData: Record<string, unknown>; studentEmail?: string } }>('/api/session-log', async (request) => {
  await committer.submit([request.body]);
  return { success: true, message: 'Event logged successfully' };
});
app.get('/healthz', async () => ({ status: 'ok' }));

await app.listen({ port: Number(process.env.PORT ?? 3000), host: process.env.HOST ?? '127.0.0.1' });
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => void app.close().then(() => committer.drain()).then(() => log.close()).then(() => process.exit(0)));
}
