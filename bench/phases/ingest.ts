import path from 'node:path';
import { benchServerSpec, serviceSpec, type BenchContext } from '../lib/context.js';
import { batchBodies, singleBodies, toPosts } from '../lib/events.js';
import { failures, runLoad, type HttpRequest, type LoadResult } from '../lib/load.js';
import { startServer, type ServerProcess, type ServerSpec } from '../lib/processes.js';
import { migrate } from '../lib/seed.js';
import { formatNumber, median, ms } from '../lib/stats.js';

type Key = 'sqlite' | 'postgres' | 'noop' | 'httpOnly' | 'naive' | `${'log' | 'logIndexed'}-${'sqlite' | 'postgres'}`;

interface Target {
  key: Key;
  label: string;
  spec: ServerSpec;
  /** The real service: also measured with batches. */
  service: boolean;
  /** A bound on what this machine allows, reported as a ratio to the no-op route. */
  baseline?: boolean;
}

interface Runs {
  single: LoadResult[];
  batch: LoadResult[];
  peakRssMb?: number | undefined;
}

/**
 * Single-event POST throughput and latency of the service on both engines, of a bare
 * Fastify route and of the naive one-INSERT-per-request design, alternated over rounds;
 * then batch POST throughput of the service. Returns the service's batch events/s per engine.
 */
export async function measureIngest(ctx: BenchContext): Promise<Record<'sqlite' | 'postgres', number>> {
  const { config } = ctx;
  const naiveUrl = await ctx.databases.create('naive');
  await migrate(naiveUrl);
  const targets: Target[] = [
    { key: 'sqlite', label: 'service, SQLite', service: true, spec: serviceSpec(config, 'service-sqlite', `sqlite:${path.join(ctx.tmpDir, 'ingest.db')}`) },
    { key: 'postgres', label: 'service, PostgreSQL', service: true, spec: serviceSpec(config, 'service-pg', await ctx.databases.create('ingest')) },
    { key: 'noop', label: 'bare Fastify no-op', service: false, spec: benchServerSpec(config, 'noop', 'noop-server.ts') },
    { key: 'httpOnly', label: 'service HTTP path, no storage', service: false, baseline: true, spec: benchServerSpec(config, 'http-only', 'http-only-server.ts') },
    { key: 'naive', label: 'naive INSERT per request, PG', service: false, spec: benchServerSpec(config, 'naive', 'naive-server.ts', { DATABASE_URL: naiveUrl }) },
    ...(await durableLogs(ctx)),
  ];
  const singles = toPosts(singleBodies(1000));
  const batches = toPosts(batchBodies(16, config.batchSize));
  const servers = new Map<Key, ServerProcess>();
  const runs = new Map<Key, Runs>(targets.map((t) => [t.key, { single: [], batch: [] }]));
  try {
    for (const target of targets) servers.set(target.key, await startServer(target.spec));
    const load = (key: Key, requests: HttpRequest[], seconds: number) =>
      runLoad({ url: serverOf(servers, key).url, connections: config.ingestConnections, seconds, requests });
    for (const target of targets) await load(target.key, singles, config.warmupSeconds);

    for (let round = 0; round < config.rounds; round++) {
      for (const target of rotate(targets, round)) {
        const result = await load(target.key, singles, config.seconds);
        runs.get(target.key)?.single.push(result);
        ctx.log(`round ${round + 1} ${target.label}: ${formatNumber(result.perSecond)} req/s, p99 ${ms(result.p99)} ${failures(result)}`);
      }
      for (const target of rotate(targets.filter((t) => t.service), round)) {
        const result = await load(target.key, batches, config.seconds);
        runs.get(target.key)?.batch.push(result);
        ctx.log(`round ${round + 1} ${target.label} batch: ${formatNumber(result.perSecond * config.batchSize)} events/s ${failures(result)}`);
      }
    }
    for (const [key, server] of servers) {
      const entry = runs.get(key);
      if (entry !== undefined) entry.peakRssMb = server.peakRssMb();
    }
  } finally {
    await Promise.all([...servers.values()].map((server) => server.stop()));
  }
  reportSingles(ctx, targets, runs);
  return reportBatches(ctx, targets, runs);
}

function reportSingles(ctx: BenchContext, targets: Target[], runs: Map<Key, Runs>): void {
  const { report, config } = ctx;
  report.heading(`Single-event POST: ${config.ingestConnections} connections, median of ${config.rounds} round(s) × ${config.seconds} s`);
  const rate = (key: Key) => median(runs.get(key)?.single.map((r) => r.perSecond) ?? []);
  for (const target of targets) {
    const single = runs.get(target.key)?.single ?? [];
    const p50 = median(single.map((r) => r.p50));
    const p99 = median(single.map((r) => r.p99));
    const rounds = single.map((r) => formatNumber(r.perSecond)).join(' / ');
    report.figure(`${target.label}: req/s`, `${formatNumber(rate(target.key))} (rounds ${rounds})`);
    const latency = `p50 ${ms(p50)}, p99 ${ms(p99)}`;
    if (target.service) report.check(`${target.label}: ack latency`, latency, 'p99 < 25 ms', p99 < 25);
    else report.figure(`${target.label}: latency`, latency);
    const failed = single.map(failures).filter((text) => text !== '');
    const non2xx = single.reduce((sum, r) => sum + r.non2xx + r.errors, 0);
    report.check(`${target.label}: non-2xx + errors`, failed.length === 0 ? '0' : failed.join('; '), '0', non2xx === 0);
  }
  const ratio = (a: Key, b: Key) => rate(a) / rate(b);
  const sqliteNoop = ratio('sqlite', 'noop');
  const pgNoop = ratio('postgres', 'noop');
  const pgNaive = ratio('postgres', 'naive');
  report.check('SQLite / no-op', formatNumber(sqliteNoop, 2), '>= 0.5 (aim 0.8)', sqliteNoop >= 0.5, sqliteNoop >= 0.8);
  report.check('PostgreSQL / no-op', formatNumber(pgNoop, 2), '>= 0.4', pgNoop >= 0.4);
  report.check('PostgreSQL / naive', formatNumber(pgNaive, 2), '>= 2 (aim 3)', pgNaive >= 2, pgNaive >= 3);
  // What this machine allows at all, measured beside the service in the same rounds.
  for (const target of targets.filter((t) => t.baseline)) {
    report.figure(`${target.label} / no-op`, formatNumber(ratio(target.key, 'noop'), 2));
  }
  for (const target of targets) {
    report.figure(`${target.label}: peak RSS`, `${formatNumber(runs.get(target.key)?.peakRssMb ?? Number.NaN, 1)} MB`);
  }
}

function reportBatches(ctx: BenchContext, targets: Target[], runs: Map<Key, Runs>): Record<'sqlite' | 'postgres', number> {
  const { report, config } = ctx;
  report.heading(`Batch POST: ${config.batchSize} events per request, ${config.ingestConnections} connections, median of ${config.rounds} round(s)`);
  const eventsPerSecond = { sqlite: Number.NaN, postgres: Number.NaN };
  for (const target of targets) {
    if (target.key !== 'sqlite' && target.key !== 'postgres') continue;
    const batch = runs.get(target.key)?.batch ?? [];
    eventsPerSecond[target.key] = median(batch.map((r) => r.perSecond)) * config.batchSize;
    const p99 = median(batch.map((r) => r.p99));
    report.figure(`${target.label}: batch events/s`, `${formatNumber(eventsPerSecond[target.key])} (p99 ${ms(p99)} per request)`);
    const failed = batch.map(failures).filter((text) => text !== '');
    const bad = batch.reduce((sum, r) => sum + r.non2xx + r.errors, 0);
    report.check(`${target.label}: batch non-2xx + errors`, failed.length === 0 ? '0' : failed.join('; '), '0', bad === 0);
  }
  return eventsPerSecond;
}

/** The durable-log baselines (bench/servers/durable-log-server.ts), without and with the read indexes, on each engine. */
async function durableLogs(ctx: BenchContext): Promise<Target[]> {
  const targets: Target[] = [];
  for (const key of ['log', 'logIndexed'] as const) {
    const label = key === 'logIndexed' ? 'durable log + read indexes' : 'durable log';
    const urls = { sqlite: `sqlite:${path.join(ctx.tmpDir, `${key}.db`)}`, postgres: await ctx.databases.create(key.toLowerCase()) };
    for (const engine of ['sqlite', 'postgres'] as const) {
      const env = { DATABASE_URL: urls[engine], INDEX_BEHIND: key === 'logIndexed' ? '1' : '0' };
      const spec = benchServerSpec(ctx.config, `${key}-${engine}`, 'durable-log-server.ts', env);
      targets.push({ key: `${key}-${engine}`, label: `${label}, ${engine === 'sqlite' ? 'SQLite' : 'PG'}`, service: false, baseline: true, spec });
    }
  }
  return targets;
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const shift = by % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

function serverOf(servers: Map<Key, ServerProcess>, key: Key): ServerProcess {
  const server = servers.get(key);
  if (server === undefined) throw new Error(`${key} is not running`);
  return server;
}

