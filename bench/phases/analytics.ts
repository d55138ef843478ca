import path from 'node:path';
import { ADMIN_TOKEN, rowsLabel, serviceSpec, type BenchContext } from '../lib/context.js';
import { failures, runLoad, type HttpRequest } from '../lib/load.js';
import { startServer, type ServerProcess } from '../lib/processes.js';
import { migrate, openSeedDatabase } from '../lib/seed.js';
import { SEED_EPOCH_S } from '../lib/seed-shape.js';
import { formatNumber, ms } from '../lib/stats.js';

const HEADERS = { authorization: `Bearer ${ADMIN_TOKEN}` };
/** The schema the events are seeded into: the rest of the migrations then derive what the analytics read. */
const SEEDED_SCHEMA = '002_event_seq';

/** Every seeded event (5 ms apart) is in the window. */
const windowFor = (rows: number) =>
  `since=${new Date(SEED_EPOCH_S * 1000).toISOString()}&until=${new Date(SEED_EPOCH_S * 1000 + rows * 5 + 60_000).toISOString()}`;

/**
 * The class-wide views over a database of `analyticsRows` events per engine: error
 * patterns, failed API calls and the step funnel (p99 of one instructor asking, target
 * under 300 ms), then a CSV export of every event (rate, and the server's peak RSS,
 * target under 150 MB). The events are seeded into an older schema and migrated: the
 * time migration 009 (and 003/004) take over them is reported too.
 */
export async function measureAnalytics(ctx: BenchContext): Promise<void> {
  const { report, config } = ctx;
  const rows = config.analyticsRows;
  report.heading(`Analytics and export over ${rowsLabel(rows)} events (1 connection, ${config.readSeconds} s per view)`);
  for (const engine of ['SQLite', 'PostgreSQL'] as const) {
    const url = engine === 'SQLite' ? `sqlite:${path.join(ctx.tmpDir, 'analytics.db')}` : await ctx.databases.create('analytics');
    const db = await openSeedDatabase(url, ctx.log, SEEDED_SCHEMA);
    await db.grow(rows);
    const migrating = Date.now();
    await migrate(url);
    report.figure(`${engine} ${rowsLabel(rows)}: migrations 003–009 over the seeded events`, `${formatNumber((Date.now() - migrating) / 1000, 1)} s`);
    await db.settle();
    const spec = serviceSpec(config, `analytics-${engine.toLowerCase()}`, url);
    const server = await startServer(spec);
    try {
      const window = windowFor(rows);
      for (const view of ['errors', 'api-calls', 'funnel'] as const) {
        const request: HttpRequest = { method: 'GET', path: `/api/analytics/${view}?${window}`, headers: HEADERS };
        ctx.log(`${engine}: ${view} answers ${await describeAnswer(server, request.path)}`);
        await runLoad({ url: server.url, connections: 1, seconds: config.warmupSeconds, requests: [request] });
        const result = await runLoad({ url: server.url, connections: 1, seconds: config.readSeconds, requests: [request] });
        const failed = failures(result);
        if (failed !== '') report.note(`${engine} ${view}: ${failed}`);
        report.check(`${engine} ${rowsLabel(rows)}: ${view}`, `p50 ${ms(result.p50)}, p99 ${ms(result.p99)}`, 'p99 < 300 ms', result.p99 < 300);
      }
    } finally {
      await server.stop();
    }
    // A service of its own: its peak RSS is then the export's, not the views'.
    const exporter = await startServer({ ...spec, name: `export-${engine.toLowerCase()}` });
    try {
      await measureExport(ctx, exporter, engine, rows);
    } finally {
      await exporter.stop();
    }
  }
}

/** What a view found, in a few words, so the bench measures answers that hold something. */
async function describeAnswer(server: ServerProcess, pathAndQuery: string): Promise<string> {
  const response = await fetch(`${server.url}${pathAndQuery}`, { headers: HEADERS });
  if (response.status !== 200) throw new Error(`GET ${pathAndQuery}: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { totalErrors?: number; totalFailures?: number; patterns?: unknown[]; groups?: unknown[]; steps?: unknown[]; students?: number };
  if (body.steps !== undefined) return `${body.steps.length} steps, ${body.students ?? 0} students`;
  return `${body.totalErrors ?? body.totalFailures ?? 0} events in ${(body.patterns ?? body.groups ?? []).length} groups`;
}

/** Every event as CSV, read as fast as this process can: events/s, and the server's peak RSS. */
async function measureExport(ctx: BenchContext, server: ServerProcess, engine: string, rows: number): Promise<void> {
  const before = server.peakRssMb() ?? Number.NaN;
  const started = Date.now();
  const response = await fetch(`${server.url}/api/session-log/export?format=csv`, { headers: HEADERS });
  if (response.status !== 200 || response.body === null) throw new Error(`export: ${response.status} ${await response.text()}`);
  let bytes = 0;
  let lines = 0;
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    bytes += chunk.byteLength;
    for (const byte of chunk) if (byte === 10) lines += 1;
  }
  const seconds = (Date.now() - started) / 1000;
  const peak = server.peakRssMb() ?? Number.NaN;
  // Lines, not records: a CSV record may span lines; the seeded events hold no line break.
  if (lines - 1 !== rows) ctx.report.note(`WARNING ${engine}: the export held ${lines - 1} rows, not ${rows}`);
  ctx.report.figure(
    `${engine} ${rowsLabel(rows)}: CSV export of every event`,
    `${formatNumber(seconds, 1)} s, ${formatNumber(rows / seconds)} events/s, ${formatNumber(bytes / 1e6)} MB`,
  );
  ctx.report.check(`${engine}: service peak RSS, started then export (at start: ${formatNumber(before)} MB)`, `${formatNumber(peak)} MB`, '< 150 MB', peak < 150);
}
