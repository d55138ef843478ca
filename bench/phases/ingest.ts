import path from 'node:path';
import { benchServerSpec, serviceSpec, type BenchContext } from '../lib/context.js';
import { singleBodies, toPosts } from '../lib/events.js';
import { failures } from '../lib/load.js';
import type { ServerSpec } from '../lib/processes.js';
import { alternateRounds, type Measured } from '../lib/rounds.js';
import { migrate } from '../lib/seed.js';
import { formatNumber, median, ms } from '../lib/stats.js';

type Engine = 'sqlite' | 'postgres';
type Key = Engine | 'noop' | 'httpOnly' | 'naive' | `${'log' | 'logIndexed'}-${Engine}`;

const ENGINES: readonly Engine[] = ['sqlite', 'postgres'];
const ENGINE_LABEL: Record<Engine, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

/**
 * Issue 13's headline: the service's single-event req/s as a share of the durable log's
 * that keeps the same four read indexes (bench/servers/durable-log-server.ts), per engine.
 */
const HEADLINE_TARGET = 0.7;
const HEADLINE_AIM = 0.9;

interface Target {
  key: Key;
  label: string;
  spec: ServerSpec;
  /** The real service: its acknowledgement latency has a target. */
  service: boolean;
  /** A bound on what this machine allows, reported as a ratio to the no-op route. */
  baseline?: boolean;
}

type Runs = Map<Key, Measured>;

/**
 * Single-event POST throughput and latency of the service on both engines against the
 * indexed durable log on the same engine (the headline), a bare Fastify route, the naive
 * one-INSERT-per-request design and the other baselines, alternated over rounds.
 */
export async function measureIngest(ctx: BenchContext): Promise<void> {
  const units = await ingestUnits(ctx);
  const targets = units.flat();
  const labels = new Map(targets.map((t) => [t.key, t.label]));
  const runs = await alternateRounds(ctx, {
    specs: new Map(targets.map((t) => [t.key, t.spec])),
    requests: toPosts(singleBodies(1000)),
    order: (round) => roundOrder(units, round).map((t) => t.key),
    describe: (key, result, round) => `round ${round + 1} ${labels.get(key)}: ${formatNumber(result.perSecond)} req/s, p99 ${ms(result.p99)} ${failures(result)}`,
  });
  reportHeadline(ctx, runs);
  reportServers(ctx, targets, runs);
}

/**
 * The servers in the order of a round, as units: each engine's service beside its indexed
 * durable log, so that the headline compares two measurements taken one after the other.
 */
async function ingestUnits(ctx: BenchContext): Promise<Target[][]> {
  const { config } = ctx;
  const naiveUrl = await ctx.databases.create('naive');
  await migrate(naiveUrl);
  const serviceUrls: Record<Engine, string> = { sqlite: `sqlite:${path.join(ctx.tmpDir, 'ingest.db')}`, postgres: await ctx.databases.create('ingest') };
  const logs = await durableLogs(ctx);
  const pairs = ENGINES.map((engine): Target[] => [
    { key: engine, label: `service, ${ENGINE_LABEL[engine]}`, service: true, spec: serviceSpec(config, `service-${engine}`, serviceUrls[engine]) },
    logs[`logIndexed-${engine}`],
  ]);
  const others: Target[] = [
    { key: 'noop', label: 'bare Fastify no-op', service: false, spec: benchServerSpec(config, 'noop', 'noop-server.ts') },
    { key: 'naive', label: 'naive INSERT per request, PG', service: false, spec: benchServerSpec(config, 'naive', 'naive-server.ts', { DATABASE_URL: naiveUrl }) },
    { key: 'httpOnly', label: 'service HTTP path, no storage', service: false, baseline: true, spec: benchServerSpec(config, 'http-only', 'http-only-server.ts') },
    logs['log-sqlite'],
    logs['log-postgres'],
  ];
  return [...pairs, ...others.map((target) => [target])];
}

/** The durable-log baselines (bench/servers/durable-log-server.ts), without and with the read indexes, on each engine. */
async function durableLogs(ctx: BenchContext): Promise<Record<`${'log' | 'logIndexed'}-${Engine}`, Target>> {
  const targets: Partial<Record<`${'log' | 'logIndexed'}-${Engine}`, Target>> = {};
  for (const kind of ['log', 'logIndexed'] as const) {
    const label = kind === 'logIndexed' ? 'durable log + read indexes' : 'durable log';
    const urls: Record<Engine, string> = { sqlite: `sqlite:${path.join(ctx.tmpDir, `${kind}.db`)}`, postgres: await ctx.databases.create(kind.toLowerCase()) };
    for (const engine of ENGINES) {
      const env = { DATABASE_URL: urls[engine], INDEX_BEHIND: kind === 'logIndexed' ? '1' : '0' };
      const spec = benchServerSpec(ctx.config, `${kind}-${engine}`, 'durable-log-server.ts', env);
      targets[`${kind}-${engine}`] = { key: `${kind}-${engine}`, label: `${label}, ${ENGINE_LABEL[engine]}`, service: false, baseline: true, spec };
    }
  }
  return targets as Record<`${'log' | 'logIndexed'}-${Engine}`, Target>;
}

/**
 * A round's order: the units rotated by the round, and the two servers of a pair swapped
 * every other round, so that neither always runs after the other.
 */
function roundOrder(units: readonly Target[][], round: number): Target[] {
  const shift = round % units.length;
  const rotated = [...units.slice(shift), ...units.slice(0, shift)];
  return rotated.flatMap((unit) => (round % 2 === 1 ? [...unit].reverse() : unit));
}

/**
 * Printed first: per engine, the service over its indexed durable log, the median of the
 * rounds' ratios (each of two neighbouring measurements, which the hour's drift moves
 * together); beside it, the ratios to the no-op route and to the naive design.
 */
function reportHeadline(ctx: BenchContext, runs: Runs): void {
  const { report, config } = ctx;
  report.heading(`Single-event POST: ${config.ingestConnections} connections, ${config.rounds} round(s) × ${config.seconds} s, servers alternated`);
  const rates = (key: Key) => runs.get(key)?.results.map((r) => r.perSecond) ?? [];
  const rate = (key: Key) => median(rates(key));
  for (const engine of ENGINES) {
    const logRates = rates(`logIndexed-${engine}`);
    const perRound = rates(engine).map((serviceRate, round) => serviceRate / (logRates[round] ?? Number.NaN));
    const ratio = median(perRound);
    const value = `${formatNumber(ratio, 2)} (rounds ${perRound.map((r) => formatNumber(r, 2)).join(' / ')}; ${formatNumber(rate(engine))} / ${formatNumber(rate(`logIndexed-${engine}`))} req/s)`;
    const measured = Number.isFinite(ratio) ? ratio >= HEADLINE_TARGET : undefined;
    report.check(`${ENGINE_LABEL[engine]}: service / indexed durable log`, value, `>= ${HEADLINE_TARGET} (aim ${HEADLINE_AIM})`, measured, ratio >= HEADLINE_AIM);
  }
  const noop = rate('noop');
  const sqliteNoop = rate('sqlite') / noop;
  const pgNoop = rate('postgres') / noop;
  const pgNaive = rate('postgres') / rate('naive');
  report.check('SQLite / no-op', `${formatNumber(sqliteNoop, 2)} (no-op ${formatNumber(noop)} req/s)`, '>= 0.5 (aim 0.8)', sqliteNoop >= 0.5, sqliteNoop >= 0.8);
  report.check('PostgreSQL / no-op', formatNumber(pgNoop, 2), '>= 0.4', pgNoop >= 0.4);
  report.check('PostgreSQL / naive', `${formatNumber(pgNaive, 2)} (naive ${formatNumber(rate('naive'))} req/s)`, '>= 2 (aim 3)', pgNaive >= 2, pgNaive >= 3);
}

function reportServers(ctx: BenchContext, targets: Target[], runs: Runs): void {
  const { report } = ctx;
  const rate = (key: Key) => median(runs.get(key)?.results.map((r) => r.perSecond) ?? []);
  for (const target of targets) {
    const results = runs.get(target.key)?.results ?? [];
    const p50 = median(results.map((r) => r.p50));
    const p99 = median(results.map((r) => r.p99));
    const rounds = results.map((r) => formatNumber(r.perSecond)).join(' / ');
    report.figure(`${target.label}: req/s`, `${formatNumber(rate(target.key))} (rounds ${rounds})`);
    const latency = `p50 ${ms(p50)}, p99 ${ms(p99)}`;
    if (target.service) report.check(`${target.label}: ack latency`, latency, 'p99 < 25 ms', p99 < 25);
    else report.figure(`${target.label}: latency`, latency);
    const failed = results.map(failures).filter((text) => text !== '');
    const non2xx = results.reduce((sum, r) => sum + r.non2xx + r.errors, 0);
    report.check(`${target.label}: non-2xx + errors`, failed.length === 0 ? '0' : failed.join('; '), '0', non2xx === 0);
  }
  // What this machine allows at all, measured beside the service in the same rounds.
  for (const target of targets.filter((t) => t.baseline)) {
    report.figure(`${target.label} / no-op`, formatNumber(rate(target.key) / rate('noop'), 2));
  }
  for (const target of targets) {
    report.figure(`${target.label}: peak RSS`, `${formatNumber(runs.get(target.key)?.peakRssMb ?? Number.NaN, 1)} MB`);
  }
}
