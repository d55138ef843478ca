import { serviceSpec, type BenchContext } from '../lib/context.js';
import { singleBodies } from '../lib/events.js';
import { failures, runLoad, type HttpRequest } from '../lib/load.js';
import { startServer, type ServerProcess } from '../lib/processes.js';
import { formatNumber, median } from '../lib/stats.js';

/**
 * Two instances sharing one PostgreSQL against one instance alone: single-event req/s of
 * the pair (the load split between them) over the one's, alternated in rounds. Writers of
 * different instances commit concurrently (migration 007); on this machine's two cores
 * the instances, PostgreSQL and the load generator share the CPU.
 */
export async function measureInstances(ctx: BenchContext): Promise<void> {
  const { config } = ctx;
  const bodies = singleBodies(1000).map((body): HttpRequest => ({ method: 'POST', path: '/api/session-log', headers: { 'content-type': 'application/json' }, body }));
  const oneUrl = await ctx.databases.create('one_instance');
  const pairUrl = await ctx.databases.create('two_instances');
  const servers: ServerProcess[] = [];
  try {
    const one = await startServer(serviceSpec(config, 'pg-one', oneUrl));
    servers.push(one);
    const pair = [await startServer(serviceSpec(config, 'pg-pair-a', pairUrl)), await startServer(serviceSpec(config, 'pg-pair-b', pairUrl))];
    servers.push(...pair);
    const load = async (targets: ServerProcess[], seconds: number) => {
      const connections = Math.round(config.ingestConnections / targets.length);
      const results = await Promise.all(targets.map((server) => runLoad({ url: server.url, connections, seconds, requests: bodies })));
      return { perSecond: results.reduce((sum, r) => sum + r.perSecond, 0), failed: results.map(failures).filter((f) => f !== '').join('; ') };
    };
    await load([one], config.warmupSeconds);
    await load(pair, config.warmupSeconds);
    const rates = { one: [] as number[], pair: [] as number[] };
    for (let round = 0; round < config.rounds; round++) {
      for (const which of round % 2 === 0 ? (['one', 'pair'] as const) : (['pair', 'one'] as const)) {
        const result = await load(which === 'one' ? [one] : pair, config.seconds);
        rates[which].push(result.perSecond);
        ctx.log(`instances round ${round + 1} ${which}: ${formatNumber(result.perSecond)} req/s ${result.failed}`);
      }
    }
    ctx.report.heading(`PostgreSQL: two instances sharing one database against one (${config.ingestConnections} connections in all, median of ${config.rounds} round(s))`);
    const one1 = median(rates.one);
    const pair2 = median(rates.pair);
    ctx.report.figure('one instance: req/s', formatNumber(one1));
    ctx.report.figure('two instances: req/s, together', formatNumber(pair2));
    ctx.report.figure('two / one', formatNumber(pair2 / one1, 2));
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
}
