// npm run bench: ingest throughput and latency, batch and bulk rates, read latency at two
// database sizes, for the service on SQLite and PostgreSQL. A measurement, not a test:
// it prints PASS/MISS against the targets and exits 0 unless it could not run.
// Env: BENCH_QUICK=1 (smoke run), BENCH_ROUNDS, BENCH_SECONDS, BENCH_READ_SECONDS,
// BENCH_DATABASE_URL (PostgreSQL admin URL), BENCH_SKIP_BUILD=1 (use dist/ as built),
// BENCH_PHASES (some of ingest, batch, reads, live, instances, analytics, retention; all by
// default). BENCH_PHASES=ingest is the single-event comparison alone, issue 13's headline.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadBenchConfig, type BenchConfig } from './lib/config.js';
import type { BenchContext } from './lib/context.js';
import { PostgresDatabases } from './lib/databases.js';
import { killAllSync, stopAll } from './lib/processes.js';
import { Report } from './lib/stats.js';
import { measureAnalytics } from './phases/analytics.js';
import { measureBatch } from './phases/batch.js';
import { measureDirectInsert } from './phases/bulk.js';
import { measureIngest } from './phases/ingest.js';
import { measureInstances } from './phases/instances.js';
import { measureLive } from './phases/live.js';
import { measureReads } from './phases/reads.js';
import { measureRetention } from './phases/retention.js';

async function main(): Promise<void> {
  const config = loadBenchConfig(process.env);
  const started = Date.now();
  const log = (line: string) => process.stderr.write(`[bench +${((Date.now() - started) / 1000).toFixed(0)}s] ${line}\n`);
  const databases = new PostgresDatabases(config.adminUrl);
  const tmpDir = mkdtempSync(path.join(os.tmpdir(), 'session-log-bench-'));
  const ctx: BenchContext = { config, report: new Report(), databases, tmpDir, log };

  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      await stopAll();
      await databases.dropAll().catch((error: unknown) => log(`could not drop the bench databases: ${String(error)}`));
      rmSync(tmpDir, { recursive: true, force: true });
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void cleanup().finally(() => process.exit(130)));
  }
  process.once('exit', killAllSync);

  try {
    await databases.check();
    const orphans = await databases.dropLeftovers();
    if (orphans.length > 0) log(`dropped ${orphans.length} database(s) left by killed runs`);
    build(config, log);
    printHeader(config);
    const { phases } = config;
    if (phases.has('ingest')) await measureIngest(ctx);
    if (phases.has('batch')) await measureDirectInsert(ctx, await measureBatch(ctx));
    if (phases.has('reads')) await measureReads(ctx);
    if (phases.has('live')) await measureLive(ctx);
    if (phases.has('instances')) await measureInstances(ctx);
    if (phases.has('analytics')) await measureAnalytics(ctx);
    if (phases.has('retention')) await measureRetention(ctx);
    ctx.report.printSummary();
    log(`done in ${((Date.now() - started) / 60_000).toFixed(1)} min`);
  } finally {
    await cleanup();
  }
}

function build(config: BenchConfig, log: (line: string) => void): void {
  if (config.skipBuild) return;
  log('npm run build');
  const result = spawnSync('npm', ['run', 'build'], { cwd: config.root, stdio: ['ignore', 2, 2] });
  if (result.status !== 0) throw new Error(`npm run build failed (${result.status ?? result.signal})`);
}

function printHeader(config: BenchConfig): void {
  const cpus = os.cpus();
  process.stdout.write(
    `session-log bench${config.quick ? ' (BENCH_QUICK)' : ''}: node ${process.version}, ${cpus.length} × ${cpus[0]?.model ?? 'cpu'}\n` +
      `rounds ${config.rounds} × ${config.seconds} s, reads ${config.readSeconds} s; load generator, servers and PostgreSQL share this machine\n` +
      'latencies: exact per-response times from autocannon (2xx only); req/s: 2xx responses per second\n',
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
