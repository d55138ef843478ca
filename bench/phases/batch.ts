import path from 'node:path';
import { serviceSpec, type BenchContext } from '../lib/context.js';
import { batchBodies, toPosts } from '../lib/events.js';
import { failures } from '../lib/load.js';
import { alternateRounds } from '../lib/rounds.js';
import { formatNumber, median, ms } from '../lib/stats.js';

type Engine = 'sqlite' | 'postgres';
const LABEL: Record<Engine, string> = { sqlite: 'service, SQLite', postgres: 'service, PostgreSQL' };

/**
 * Batch POST throughput of the service on both engines, alternated over rounds. Returns
 * the median events/s per engine, which measureDirectInsert compares with the store's own rate.
 */
export async function measureBatch(ctx: BenchContext): Promise<Record<Engine, number>> {
  const { config, report } = ctx;
  const urls: Record<Engine, string> = { sqlite: `sqlite:${path.join(ctx.tmpDir, 'batch.db')}`, postgres: await ctx.databases.create('batch') };
  const engines: Engine[] = ['sqlite', 'postgres'];
  const measured = await alternateRounds(ctx, {
    specs: new Map(engines.map((engine) => [engine, serviceSpec(config, `batch-${engine}`, urls[engine])])),
    requests: toPosts(batchBodies(16, config.batchSize)),
    order: (round) => (round % 2 === 0 ? engines : [...engines].reverse()),
    describe: (engine, result, round) => `round ${round + 1} ${LABEL[engine]} batch: ${formatNumber(result.perSecond * config.batchSize)} events/s ${failures(result)}`,
  });
  report.heading(`Batch POST: ${config.batchSize} events per request, ${config.ingestConnections} connections, median of ${config.rounds} round(s)`);
  const eventsPerSecond = { sqlite: Number.NaN, postgres: Number.NaN };
  for (const engine of engines) {
    const batch = measured.get(engine)?.results ?? [];
    eventsPerSecond[engine] = median(batch.map((r) => r.perSecond)) * config.batchSize;
    const p99 = median(batch.map((r) => r.p99));
    report.figure(`${LABEL[engine]}: batch events/s`, `${formatNumber(eventsPerSecond[engine])} (p99 ${ms(p99)} per request)`);
    const failed = batch.map(failures).filter((text) => text !== '');
    const bad = batch.reduce((sum, r) => sum + r.non2xx + r.errors, 0);
    report.check(`${LABEL[engine]}: batch non-2xx + errors`, failed.length === 0 ? '0' : failed.join('; '), '0', bad === 0);
  }
  return eventsPerSecond;
}
