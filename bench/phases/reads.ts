import path from 'node:path';
import { ADMIN_TOKEN, rowsLabel, serviceSpec, type BenchContext } from '../lib/context.js';
import { measureClassOverview } from './class-overview.js';
import { failures, runLoad, type HttpRequest, type LoadResult } from '../lib/load.js';
import { startServer, type ServerProcess } from '../lib/processes.js';
import { openSeedDatabase, type SeedDatabase } from '../lib/seed.js';
import { SEED_SESSIONS, seedSessionToken } from '../lib/seed-shape.js';
import { formatNumber, ms } from '../lib/stats.js';

const HEADERS = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** (a) the latest 100 events of one session, rotating over 50 seeded sessions. */
const SESSION_READS: HttpRequest[] = Array.from({ length: 50 }, (_, i) => ({
  method: 'GET',
  path: `/api/session-log?sessionToken=${seedSessionToken((i * 7) % SEED_SESSIONS)}&limit=100`,
  headers: HEADERS,
}));

/** (b) the latest 100 failed API calls across all students. */
const FAILED_CALL_READS: HttpRequest[] = [
  { method: 'GET', path: '/api/session-log?eventType=api_call&data.status=gte:400&limit=100', headers: HEADERS },
];

const KINDS = [
  { key: 'session', label: 'one session', requests: SESSION_READS },
  { key: 'failed', label: 'failed api_calls', requests: FAILED_CALL_READS },
] as const;

interface EventsPage {
  count: number;
  events: Array<{ session_token: string; event_type: string; event_data: { status?: unknown } }>;
}

/**
 * GET latency of the service at two database sizes per engine, under load (10
 * connections) and unloaded (1 connection); at the larger size, also the class overview
 * with a live class on top, and the one-session read with a session_token-only index
 * instead of (session_token, event_id).
 */
export async function measureReads(ctx: BenchContext): Promise<void> {
  const { report, config } = ctx;
  const [small, large] = config.readRows;
  const concurrencies = [...new Set([config.readConnections, 1])];
  report.heading(
    `Reads: latest 100, ${concurrencies.join(' and ')} connection(s), ${config.readSeconds} s each, at ${rowsLabel(small)} and ${rowsLabel(large)} events`,
  );
  for (const engine of ['SQLite', 'PostgreSQL'] as const) {
    const url = engine === 'SQLite' ? `sqlite:${path.join(ctx.tmpDir, 'reads.db')}` : await ctx.databases.create('reads');
    const db = await openSeedDatabase(url, ctx.log);
    /** connections → one-session p99 at each size */
    const sessionP99 = new Map<number, number[]>(concurrencies.map((c) => [c, []]));
    for (const rows of [small, large]) {
      const started = Date.now();
      await db.grow(rows);
      report.figure(`${engine} ${rowsLabel(rows)}: seeding`, `${formatNumber((Date.now() - started) / 1000, 1)} s`);
      const server = await startServer(serviceSpec(config, `reads-${engine.toLowerCase()}`, db.url));
      try {
        await verify(ctx, server, engine, rows);
        const composite = new Map<number, LoadResult>();
        for (const kind of KINDS) {
          for (const connections of concurrencies) {
            const result = await measure(ctx, server, kind.requests, connections);
            const name = `${engine} ${rowsLabel(rows)}: ${kind.label}, ${connections} conn`;
            if (kind.key === 'session') {
              sessionP99.get(connections)?.push(result.p99);
              composite.set(connections, result);
            }
            if (kind.key === 'session' && rows === large) report.check(name, describe(result), 'p99 < 10 ms', result.p99 < 10);
            else report.figure(name, describe(result));
          }
        }
        if (rows === large) {
          await measureClassOverview(ctx, server, db.url, engine, rows);
          await compareSessionIndexes(ctx, server, db, engine, composite);
        }
      } finally {
        await server.stop();
      }
    }
    for (const [connections, [atSmall, atLarge]] of sessionP99) {
      const growth = (atLarge ?? Number.NaN) / (atSmall ?? Number.NaN);
      const name = `${engine}: one-session p99 ${rowsLabel(large)} / ${rowsLabel(small)}, ${connections} conn`;
      report.check(name, formatNumber(growth, 2), '<= 1.5', growth <= 1.5);
    }
  }
}

/** The same one-session read with only a session_token index; the composite is restored after. */
async function compareSessionIndexes(
  ctx: BenchContext,
  server: ServerProcess,
  db: SeedDatabase,
  engine: string,
  composite: Map<number, LoadResult>,
): Promise<void> {
  const started = Date.now();
  await db.useSessionIndex('single');
  ctx.log(`${engine}: session_token-only index built in ${formatNumber((Date.now() - started) / 1000, 1)} s`);
  try {
    for (const [connections, withComposite] of composite) {
      const single = await measure(ctx, server, SESSION_READS, connections);
      const name = `${engine} ${rowsLabel(ctx.config.readRows[1])}: one session, ${connections} conn, session_token-only index`;
      ctx.report.figure(name, describe(single));
      const ratio = `p99 ${formatNumber(single.p99 / withComposite.p99, 2)}, req/s ${formatNumber(single.perSecond / withComposite.perSecond, 2)}`;
      ctx.report.figure(`${engine}: session_token-only / composite, ${connections} conn`, ratio);
    }
  } finally {
    await db.useSessionIndex('composite');
  }
}

async function measure(ctx: BenchContext, server: ServerProcess, requests: readonly HttpRequest[], connections: number) {
  const { config } = ctx;
  const options = { url: server.url, connections, requests };
  await runLoad({ ...options, seconds: config.warmupSeconds });
  const result = await runLoad({ ...options, seconds: config.readSeconds });
  const failed = failures(result);
  if (failed !== '') ctx.report.note(`${server.name} ${requests[0]?.path ?? ''}: ${failed}`);
  return result;
}

function describe(result: LoadResult): string {
  return `p50 ${ms(result.p50)}, p99 ${ms(result.p99)} (${formatNumber(result.perSecond)} req/s)`;
}

/** One request of each kind, checked, so the bench measures reads that return what they should. */
async function verify(ctx: BenchContext, server: ServerProcess, engine: string, rows: number): Promise<void> {
  const token = seedSessionToken(0);
  // Below ~200 events per session on average (quick runs), some sessions hold fewer than 100.
  const sessionCountOk = (count: number) => (rows / SEED_SESSIONS >= 200 ? count === 100 : count > 0 && count <= 100);
  const session = await getPage(server, `/api/session-log?sessionToken=${token}&limit=100`);
  const failed = await getPage(server, FAILED_CALL_READS[0]?.path ?? '');
  const problems: string[] = [];
  if (!sessionCountOk(session.count) || session.events.some((e) => e.session_token !== token)) problems.push('one-session read');
  const isFailedCall = (e: EventsPage['events'][number]) => e.event_type === 'api_call' && Number(e.event_data.status) >= 400;
  if (failed.count !== 100 || !failed.events.every(isFailedCall)) problems.push('failed api_call read');
  if (problems.length > 0) ctx.report.note(`WARNING ${engine}: unexpected result of ${problems.join(' and ')}`);
}

async function getPage(server: ServerProcess, pathAndQuery: string): Promise<EventsPage> {
  const response = await fetch(`${server.url}${pathAndQuery}`, { headers: HEADERS });
  if (response.status !== 200) throw new Error(`GET ${pathAndQuery}: ${response.status} ${await response.text()}`);
  return (await response.json()) as EventsPage;
}
