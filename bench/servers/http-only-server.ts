// The service's own HTTP path (routes, validation, scrubbing, CORS, rate limits counted but
// never reached, the group-commit queue) with a store that acknowledges at once and writes
// nothing: what the service costs before storage. Its source, through tsx (the same code as dist/, transpiled at load), logging at
// the bench's level as the service does.
// Env: PORT, HOST, LOG_LEVEL.
import { buildApp } from '../../src/app.js';
import { InProcessChangeChannel } from '../../src/storage/in-process-change-channel.js';
import type { EventStore } from '../../src/storage/types.js';
import { UNREACHED_LIMIT } from '../lib/context.js';

const notMeasured = () => Promise.reject(new Error('not part of this baseline'));
const store: EventStore = {
  writeConcurrency: 1,
  migrate: () => Promise.resolve(),
  insertEvents: () => Promise.resolve(),
  ping: () => Promise.resolve(),
  poolUse: () => null,
  close: () => Promise.resolve(),
  queryEvents: notMeasured,
  latestSettledEventId: notMeasured,
  changes: new InProcessChangeChannel(),
  // No rule and no webhook delivery: the alert evaluator and the delivery worker find nothing to do.
  alerts: {
    listRules: () => Promise.resolve([]),
    claimDeliveries: () => Promise.resolve([]),
    nextDeliveryAt: () => Promise.resolve(null),
  } as Partial<EventStore['alerts']> as EventStore['alerts'],
  readClassActivity: notMeasured,
  readProblems: notMeasured,
  readFunnel: notMeasured,
  streamEvents: () => {
    throw new Error('not part of this baseline');
  },
  erase: notMeasured,
  pruneBatch: notMeasured,
  countEventsBefore: notMeasured,
  // Retention never gets its lease here: the baseline does no cleaning.
  takeLease: () => Promise.resolve(false),
  readCredentials: () => Promise.resolve(null),
  writeCredentials: () => Promise.resolve(),
  startInstructorSession: notMeasured,
  isInstructorSession: notMeasured,
  endInstructorSession: notMeasured,
};

const app = await buildApp({
  store,
  adminToken: 'bench-http-only-token-0123456789',
  corsOrigins: '*',
  sdk: [],
  logger: { level: process.env.LOG_LEVEL ?? 'warn' },
  rateLimits: { ingestPerAddress: UNREACHED_LIMIT, ingestPerSession: UNREACHED_LIMIT },
});
await app.listen({ port: Number(process.env.PORT ?? 3000), host: process.env.HOST ?? '127.0.0.1' });
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => void app.close().then(() => process.exit(0)));
}
