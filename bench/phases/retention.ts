import pg from 'pg';
import { ADMIN_TOKEN, rowsLabel, serviceSpec, type BenchContext } from '../lib/context.js';
import { singleBodies, toPosts } from '../lib/events.js';
import { failures, runLoad, type LoadResult } from '../lib/load.js';
import { startServer } from '../lib/processes.js';
import { migrate, openSeedDatabase } from '../lib/seed.js';
import { formatNumber, median, ms } from '../lib/stats.js';

/** Every seeded event is from 2025: with the default 90 days, all of them are due for removal. */
const CLEANING = { RETENTION_DAYS: '90' };
/** A century: the retention finds nothing to remove (the baseline). */
const KEEPING = { RETENTION_DAYS: '36500' };

/**
 * PostgreSQL at `retentionRows` events, all older than the retention: single-event ingest
 * (50 connections) while the retention removes them, against the same ingest with nothing
 * to remove, alternated over rounds (a fresh service each time, so each round starts alike).
 * Target: ingest keeps at least 0.8 of its rate (slowed by a fifth at most), and no table
 * lock (the p99 stays in the same range).
 */
export async function measureRetention(ctx: BenchContext): Promise<void> {
  const { report, config } = ctx;
  const rows = config.retentionRows;
  report.heading(`Retention on PostgreSQL at ${rowsLabel(rows)} events: single-event ingest while old events are removed`);
  const url = await ctx.databases.create('retention');
  const db = await openSeedDatabase(url, ctx.log, '002_event_seq');
  const seeding = Date.now();
  await db.grow(rows);
  await migrate(url);
  await db.settle();
  report.figure(`seeding ${rowsLabel(rows)} events, migrating and vacuuming`, `${formatNumber((Date.now() - seeding) / 1000)} s`);

  const posts = toPosts(singleBodies(1000));
  const keeping: LoadResult[] = [];
  const cleaning: LoadResult[] = [];
  let removed = 0;
  let removingSeconds = 0;
  for (let round = 0; round < config.rounds; round++) {
    for (const clean of round % 2 === 0 ? [false, true] : [true, false]) {
      const spec = serviceSpec(config, clean ? 'retention-cleaning' : 'retention-keeping', url);
      const server = await startServer({ ...spec, env: { ...spec.env, ...(clean ? CLEANING : KEEPING) } });
      try {
        await runLoad({ url: server.url, connections: config.ingestConnections, seconds: config.warmupSeconds, requests: posts });
        const deletedBefore = await deletedEvents(url);
        const started = Date.now();
        // Answered once the pass is done (minutes at this size): the round ends well before.
        const pass = fetch(`${server.url}/api/retention/run`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }).catch(() => undefined);
        const result = await runLoad({ url: server.url, connections: config.ingestConnections, seconds: config.seconds, requests: posts });
        (clean ? cleaning : keeping).push(result);
        if (clean) {
          removed += (await deletedEvents(url)) - deletedBefore;
          removingSeconds += (Date.now() - started) / 1000;
        }
        ctx.log(`round ${round + 1} ${clean ? 'cleaning' : 'keeping'}: ${formatNumber(result.perSecond)} req/s, p99 ${ms(result.p99)} ${failures(result)}`);
        void pass;
      } finally {
        await server.stop();
      }
    }
  }
  const base = median(keeping.map((r) => r.perSecond));
  const during = median(cleaning.map((r) => r.perSecond));
  report.figure('ingest, nothing to remove (median round)', `${formatNumber(base)} req/s, p99 ${ms(median(keeping.map((r) => r.p99)))}`);
  report.figure('ingest while the retention removes (median round)', `${formatNumber(during)} req/s, p99 ${ms(median(cleaning.map((r) => r.p99)))}`);
  report.figure('events removed meanwhile', `${formatNumber(removed / Math.max(removingSeconds, 1))} events/s (${formatNumber(removed)} in ${formatNumber(removingSeconds)} s)`);
  if (removed === 0) report.note('WARNING: the retention removed nothing while measured: the ratio says nothing');
  report.check('ingest while removing / ingest alone', formatNumber(during / base, 2), '>= 0.8', during / base >= 0.8);
}

/** Rows deleted from events since the statistics began: cheap, where count(*) over millions is not. */
async function deletedEvents(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // The statistics collector reports with a delay of its own; ask for a fresh snapshot.
    await client.query('SELECT pg_stat_clear_snapshot()');
    const { rows } = await client.query<{ n: string }>(`SELECT n_tup_del AS n FROM pg_stat_user_tables WHERE relname = 'events'`);
    return Number(rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}
