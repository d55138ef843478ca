import { insertAt } from '../../test/helpers/insert-at.js';
import { ADMIN_TOKEN, rowsLabel, type BenchContext } from '../lib/context.js';
import { LIVE_SESSIONS, liveClass } from '../lib/live-class.js';
import { runLoad } from '../lib/load.js';
import type { ServerProcess } from '../lib/processes.js';
import { formatNumber, ms } from '../lib/stats.js';

const OVERVIEW = { method: 'GET' as const, path: '/api/sessions?activeWithin=3h', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } };

/**
 * The class overview (GET /api/sessions) with a live class of 500 students in the last
 * 3 hours on top of `rows` seeded events, one connection (an instructor's dashboard).
 */
export async function measureClassOverview(ctx: BenchContext, server: ServerProcess, databaseUrl: string, engine: string, rows: number) {
  const started = Date.now();
  const events = liveClass(Date.now());
  await insertAt(databaseUrl, events);
  ctx.log(`${engine}: live class of ${LIVE_SESSIONS} sessions (${formatNumber(events.length)} events) in ${formatNumber((Date.now() - started) / 1000, 1)} s`);
  const response = await fetch(`${server.url}${OVERVIEW.path}`, { headers: OVERVIEW.headers });
  const body = (await response.json()) as { activeSessions?: number };
  if (response.status !== 200 || body.activeSessions !== LIVE_SESSIONS) {
    ctx.report.note(`WARNING ${engine}: the overview answered ${response.status} with ${body.activeSessions ?? 0} active sessions`);
  }
  const options = { url: server.url, connections: 1, requests: [OVERVIEW] };
  await runLoad({ ...options, seconds: ctx.config.warmupSeconds });
  const result = await runLoad({ ...options, seconds: ctx.config.readSeconds });
  const name = `${engine} ${rowsLabel(rows)} + ${LIVE_SESSIONS} live sessions: class overview, 1 conn`;
  ctx.report.check(name, `p50 ${ms(result.p50)}, p99 ${ms(result.p99)}`, 'p99 < 50 ms', result.p99 < 50);
}
