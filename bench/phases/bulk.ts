import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createStore } from '../../src/storage/index.js';
import type { BenchContext } from '../lib/context.js';
import { eventSource, type BenchEvent } from '../lib/events.js';
import { formatNumber } from '../lib/stats.js';

const ARRAY_SIZE = 1000;

/**
 * Each engine's own bulk-insert rate without HTTP: store.insertEvents() called in this
 * process with 1000-event arrays on a fresh database, compared with the service's batch
 * POST rate measured by measureBatch.
 */
export async function measureDirectInsert(ctx: BenchContext, httpEventsPerSecond: Record<'sqlite' | 'postgres', number>) {
  const { report, config } = ctx;
  report.heading(`Direct store.insertEvents(): ${ARRAY_SIZE}-event arrays, fresh database, ${config.seconds} s, no HTTP`);
  const next = eventSource(200, 3);
  const arrays: BenchEvent[][] = Array.from({ length: 20 }, () => Array.from({ length: ARRAY_SIZE }, next));
  const engines = [
    { key: 'sqlite' as const, label: 'SQLite', url: `sqlite:${path.join(ctx.tmpDir, 'direct.db')}` },
    { key: 'postgres' as const, label: 'PostgreSQL', url: await ctx.databases.create('direct') },
  ];
  for (const engine of engines) {
    const rate = await insertRate(engine.url, arrays, config.seconds);
    ctx.log(`direct ${engine.label}: ${formatNumber(rate)} events/s`);
    report.figure(`${engine.label}: direct events/s`, formatNumber(rate));
    const ratio = httpEventsPerSecond[engine.key] / rate;
    report.figure(`${engine.label}: HTTP batch / direct`, formatNumber(ratio, 2));
  }
}

async function insertRate(url: string, arrays: BenchEvent[][], seconds: number): Promise<number> {
  const store = createStore(url);
  try {
    await store.migrate();
    await store.insertEvents(arrays[0] ?? []); // warm up: connections, statements, students
    let events = 0;
    const start = performance.now();
    while (performance.now() - start < seconds * 1000) {
      await store.insertEvents(arrays[(events / ARRAY_SIZE) % arrays.length] ?? []);
      events += ARRAY_SIZE;
    }
    return events / ((performance.now() - start) / 1000);
  } finally {
    await store.close();
  }
}
