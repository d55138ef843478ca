import path from 'node:path';
import { serviceSpec, type BenchContext } from '../lib/context.js';
import { batchBodies, toPosts } from '../lib/events.js';
import { failures, runLoad, type LoadResult } from '../lib/load.js';
import { startServer, type ServerProcess } from '../lib/processes.js';
import { formatNumber, median, ms } from '../lib/stats.js';

type Engine = 'sqlite' | 'postgres';

/**
 * Batch POST throughput of the service on both engines, alternated over rounds. Returns
 * the median events/s per engine, which measureDirectInsert compares with the store's own rate.
 */
export async function measureBatch(ctx: BenchContext): Promise<Record<Engine, number>> {
  const { config, report } = ctx;
  const engines = [
    { key: 'sqlite' as const, label: 'service, SQLite', url: `sqlite:${path.join(ctx.tmpDir, 'batch.db')}` },
    { key: 'postgres' as const, label: 'service, PostgreSQL', url: await ctx.databases.create('batch') },
  ];
  const batches = toPosts(batchBodies(16, config.batchSize));
  const servers = new Map<Engine, ServerProcess>();
  const runs: Record<Engine, LoadResult[]> = { sqlite: [], postgres: [] };
  try {
    for (const engine of engines) servers.set(engine.key, await startServer(serviceSpec(config, `batch-${engine.key}`, engine.url)));
    const load = (engine: Engine, seconds: number) => {
      const server = servers.get(engine);
      if (server === undefined) throw new Error(`batch-${engine} is not running`);
      return runLoad({ url: server.url, connections: config.ingestConnections, seconds, requests: batches });
    };
    for (const engine of engines) await load(engine.key, config.warmupSeconds);
    for (let round = 0; round < config.rounds; round++) {
      for (const engine of round % 2 === 0 ? engines : [...engines].reverse()) {
        const result = await load(engine.key, config.seconds);
        runs[engine.key].push(result);
        ctx.log(`round ${round + 1} ${engine.label} batch: ${formatNumber(result.perSecond * config.batchSize)} events/s ${failures(result)}`);
      }
    }
  } finally {
    await Promise.all([...servers.values()].map((server) => server.stop()));
  }
  report.heading(`Batch POST: ${config.batchSize} events per request, ${config.ingestConnections} connections, median of ${config.rounds} round(s)`);
  const eventsPerSecond = { sqlite: Number.NaN, postgres: Number.NaN };
  for (const engine of engines) {
    const batch = runs[engine.key];
    eventsPerSecond[engine.key] = median(batch.map((r) => r.perSecond)) * config.batchSize;
    const p99 = median(batch.map((r) => r.p99));
    report.figure(`${engine.label}: batch events/s`, `${formatNumber(eventsPerSecond[engine.key])} (p99 ${ms(p99)} per request)`);
    const failed = batch.map(failures).filter((text) => text !== '');
    const bad = batch.reduce((sum, r) => sum + r.non2xx + r.errors, 0);
    report.check(`${engine.label}: batch non-2xx + errors`, failed.length === 0 ? '0' : failed.join('; '), '0', bad === 0);
  }
  return eventsPerSecond;
}
