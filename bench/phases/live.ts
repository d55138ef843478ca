import { ADMIN_TOKEN, serviceSpec, type BenchContext } from '../lib/context.js';
import { singleBodies } from '../lib/events.js';
import { SubscriberFleet } from '../lib/subscriber-fleet.js';
import { failures, runLoad, type HttpRequest, type LoadResult } from '../lib/load.js';
import { startServer, type ServerProcess } from '../lib/processes.js';
import { formatNumber, median, ms } from '../lib/stats.js';
import type { FleetReport } from '../lib/subscriber-fleet-process.js';
import path from 'node:path';

const SUBSCRIBERS = 200;
/** The bench's 200 students' sessions (events.ts). */
const session = (student: number) => `ws_${1761555600000 + student * 7919}_${student}`;

/**
 * What instructors watching cost the writers: single-event ingest into a service with 20
 * alert rules and 200 live subscribers, against the same service with neither, alternated
 * in rounds; and how long an event takes from its commit to the subscribers.
 */
export async function measureLive(ctx: BenchContext): Promise<void> {
  const bodies = singleBodies(1000).map((body): HttpRequest => ({ method: 'POST', path: '/api/session-log', headers: { 'content-type': 'application/json' }, body }));
  for (const engine of ['sqlite', 'postgres'] as const) {
    const url = async (name: string) => (engine === 'sqlite' ? `sqlite:${path.join(ctx.tmpDir, `${name}.db`)}` : ctx.databases.create(name));
    const plain = await startServer(serviceSpec(ctx.config, `plain-${engine}`, await url('live_plain')));
    const watched = await startServer(serviceSpec(ctx.config, `watched-${engine}`, await url('live_watched')));
    let fleet: SubscriberFleet | null = null;
    try {
      await createRules(watched.url);
      fleet = await SubscriberFleet.start(watched.url, ADMIN_TOKEN, subscriberQueries());
      await measureRounds(ctx, engine, { plain, watched }, fleet, bodies);
    } finally {
      await fleet?.stop();
      await Promise.all([plain.stop(), watched.stop()]);
    }
  }
}

async function measureRounds(
  ctx: BenchContext,
  engine: 'sqlite' | 'postgres',
  servers: { plain: ServerProcess; watched: ServerProcess },
  fleet: SubscriberFleet,
  bodies: HttpRequest[],
): Promise<void> {
  const { config } = ctx;
  const load = (server: ServerProcess, seconds: number) => runLoad({ url: server.url, connections: config.ingestConnections, seconds, requests: bodies });
  await load(servers.plain, config.warmupSeconds);
  await load(servers.watched, config.warmupSeconds);
  const results = { plain: [] as LoadResult[], watched: [] as LoadResult[] };
  const deliveries: FleetReport[] = [];
  for (let round = 0; round < config.rounds; round++) {
    for (const which of round % 2 === 0 ? (['plain', 'watched'] as const) : (['watched', 'plain'] as const)) {
      await fleet.report();
      const result = await load(servers[which], config.seconds);
      results[which].push(result);
      // Events still on their way when the load stops are counted too.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const delivered = await fleet.report();
      if (which === 'watched') deliveries.push(delivered);
      ctx.log(`live ${engine} round ${round + 1} ${which}: ${formatNumber(result.perSecond)} req/s ${failures(result)}${which === 'watched' ? `, delivered ${delivered.events} p99 ${ms(delivered.p99)}` : ''}`);
    }
  }
  report(ctx, engine, results, deliveries);
}

function report(ctx: BenchContext, engine: string, results: { plain: LoadResult[]; watched: LoadResult[] }, deliveries: FleetReport[]): void {
  const { report } = ctx;
  const name = engine === 'sqlite' ? 'SQLite' : 'PostgreSQL';
  report.heading(`Live: ${name}, 20 alert rules and ${SUBSCRIBERS} SSE subscribers (180 one session each, 15 errors, 5 everything) against none`);
  const plain = median(results.plain.map((r) => r.perSecond));
  const watched = median(results.watched.map((r) => r.perSecond));
  report.figure('single-event req/s, no rules or subscribers', formatNumber(plain));
  report.figure('single-event req/s, watched', formatNumber(watched));
  report.check('watched / plain', formatNumber(watched / plain, 2), '>= 0.8', watched / plain >= 0.8);
  const p99 = median(deliveries.map((d) => d.p99));
  report.check('delivery, commit to subscriber: p99', `${ms(p99)} (p50 ${ms(median(deliveries.map((d) => d.p50)))}; ${formatNumber(median(deliveries.map((d) => d.events)))} deliveries per round)`, '< 500 ms', p99 < 500);
  // On two shared cores the subscribers' own parsing competes with the server; in a class they run on instructors' machines.
  report.figure('the 200 subscribers\' own CPU (a process of the bench), share of one core', formatNumber(median(deliveries.map((d) => d.cpuShare)), 2));
  const lost = deliveries.some((d) => d.ended > 0);
  report.check('subscribers cut off', lost ? `${Math.max(...deliveries.map((d) => d.ended))}` : '0', '0', !lost);
  const bad = [...results.plain, ...results.watched].reduce((sum, r) => sum + r.non2xx + r.errors, 0);
  report.check('non-2xx + errors', String(bad), '0', bad === 0);
}

/** Dashboards on one student's timeline each, a few watching errors, a few the whole class. */
function subscriberQueries(): string[] {
  return [
    ...Array.from({ length: 180 }, (_, student) => `sessionToken=${session(student)}`),
    ...Array.from({ length: 15 }, () => 'eventType=error'),
    ...Array.from({ length: 5 }, () => ''),
  ];
}

/** Twenty rules of the three kinds, on the bench events' fields (events.ts). */
async function createRules(url: string): Promise<void> {
  const match = (name: string, filters: Record<string, string>) => ({ name, kind: 'match', filters });
  const classWide = (name: string, filters: Record<string, string>, minEvents: number, minStudents: number) => ({ name, kind: 'class_wide', filters, minEvents, minStudents, windowMinutes: 10 });
  const rules = [
    match('OpenAI key refused', { eventType: 'error', 'data.errorType': 'openai_validation_failed' }),
    match('quota exceeded', { eventType: 'error', 'data.errorType': 'quota_exceeded' }),
    match('server errors', { eventType: 'api_call', 'data.status': 'gte:500' }),
    match('rate limited', { eventType: 'api_call', 'data.status': '429' }),
    match('slow API calls', { eventType: 'api_call', 'data.durationMs': 'gte:4000' }),
    match('help requests', { eventType: 'help_request' }),
    match('unrecoverable errors', { eventType: 'error', 'data.recoverable': 'false' }),
    match('deploy not validated', { eventType: 'action', 'data.actionName': 'deploy_clicked', 'data.validated': 'false' }),
    match('dropped events', { eventType: 'events_dropped' }),
    match('twilio deploys', { eventType: 'error', 'data.errorType': 'twilio_function_deploy_failed' }),
    match('unauthorized', { eventType: 'api_call', 'data.status': '401' }),
    match('deploy step errors', { eventType: 'error', 'data.stepName': 'Deploy' }),
    classWide('OpenAI keys, class-wide', { eventType: 'error', 'data.errorType': 'openai_validation_failed' }, 5, 5),
    classWide('API failing for the class', { eventType: 'api_call', 'data.status': 'gte:500' }, 20, 10),
    classWide('timeouts for the class', { eventType: 'error', 'data.errorType': 'network_timeout' }, 10, 5),
    classWide('quota for the class', { eventType: 'error', 'data.errorType': 'quota_exceeded' }, 50, 20),
    { name: 'stuck', kind: 'stuck', statuses: ['stuck'] },
    { name: 'asked for help', kind: 'stuck', statuses: ['asked_for_help'] },
    { name: 'needs help', kind: 'stuck' },
    { name: 'needs help (30 min)', kind: 'stuck', cooldownMinutes: 30 },
  ];
  for (const rule of rules) {
    const response = await fetch(`${url}/api/alerts/rules`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(rule),
    });
    if (response.status !== 201) throw new Error(`rule "${rule.name}" refused: ${await response.text()}`);
  }
}
