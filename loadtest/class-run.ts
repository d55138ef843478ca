// One run of a class against a service setup: students posting, instructors reading and
// streaming, one instance killed and restarted if asked, then the count in the database.
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { startClassSimulation, type ClassSimulation } from '../scripts/demo/class-simulation.js';
import { isIngest, readAccessLog } from './access-log.js';
import { startDashboardReads, type DashboardReads } from './dashboard-reads.js';
import { auditStorage, auditStreams } from './database-audit.js';
import { IngestRecord } from './ingest-record.js';
import { scrapeInstance, type InstanceMetrics } from './instance-metrics.js';
import type { ServiceInstance } from './instance.js';
import { checkRejoined, runKillDrill, untilRejoined, type KillDrillTimes } from './kill-drill.js';
import { openInstructorStreams } from './instructor-streams.js';
import type { LiveStream } from './live-stream.js';
import { usageOf } from './process-groups.js';
import type { RunPlan, RunResult } from './run-result.js';
import { ADMIN_TOKEN, type ServiceSetup } from './service-setup.js';

const FLUSH_MS = 10_000;
const STREAM_CATCH_UP_MS = 15_000;
const PROGRESS_EVERY_MS = 10_000;
/** Past the planned duration, how long the students keep on for the restarted instance to rejoin. */
const REJOIN_GRACE_MS = 20_000;
const LOOP_DELAY_RESOLUTION_MS = 10;
/** The students arrive within 5 s (the demo's class does), and the instances are new processes. */
const WARM_UP_MS = 5000;

export async function runClass(setup: ServiceSetup, plan: RunPlan, log: (line: string) => void): Promise<RunResult> {
  const origin = performance.now();
  const loopDelay = monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS });
  loopDelay.enable();
  const db = setup.postgresUrl === undefined ? undefined : new pg.Client({ connectionString: setup.postgresUrl });
  // Cut when the database is dropped under it (a signal's cleanup); its next query says so.
  db?.on('error', (error) => log(`the audit's connection: ${error.message}`));
  await db?.connect();
  const usage = await usageOf(setup, db);
  const record = new IngestRecord(origin);
  let simulation: ClassSimulation | undefined;
  let reads: DashboardReads | undefined;
  let streams: LiveStream[] = [];
  let progress: NodeJS.Timeout | undefined;
  const ending = new AbortController();
  try {
    // The SDK's own delay (1 s), and the page loads' bursts at every step change.
    simulation = startClassSimulation({ baseUrl: setup.url, seed: plan.seed, students: plan.students, logsPageLoads: true, flushDelayMs: 1000, onAttempt: record.onAttempt, onRefused: (message) => log(`a batch was refused: ${message}`) });
    streams = await openInstructorStreams(setup.url, ADMIN_TOKEN, plan.instructors, simulation.students);
    const victim = await holdingMostStreams(setup);
    reads = startDashboardReads({ url: setup.url, token: ADMIN_TOKEN, instructors: plan.instructors, sessionTokens: simulation.students.map((student) => student.sessionToken), origin });
    const durationMs = plan.durationSeconds * 1000;
    const drill = plan.kill && victim !== undefined && setup.accessLog !== undefined ? settle(runKillDrill(victim.instance, origin, 0.4 * durationMs, 0.6 * durationMs, ending.signal, log)) : undefined;
    progress = setInterval(() => log(progressLine(record, origin, simulation?.stats().retries ?? 0)), PROGRESS_EVERY_MS);
    await sleep(Math.max(0, origin + durationMs - performance.now()));
    const times = await drill?.then((outcome) => outcome());
    if (times !== undefined && setup.accessLog !== undefined) await untilRejoined(times, setup.accessLog, REJOIN_GRACE_MS);
    const loadSeconds = (performance.now() - origin) / 1000;
    clearInterval(progress);
    await reads.stop();
    await simulation.stop(FLUSH_MS);
    const { processes, machineCpuPercent } = usage.stop();
    loopDelay.disable();
    const storage = db === undefined ? null : await auditStorage(db, record.acknowledged);
    const streamAudits = db === undefined ? [] : await auditStreams(db, streams, STREAM_CATCH_UP_MS);
    const lines = setup.accessLog === undefined ? undefined : await readAccessLog(setup.accessLog);
    const metrics = await Promise.all(setup.instances.map((instance) => scrapeInstance(instance.url, ADMIN_TOKEN)));
    const stats = simulation.stats();
    return {
      setup: setup.label,
      ...plan,
      ...record.counts,
      eventsAcknowledged: record.acknowledged.size,
      loadSeconds,
      eventsPerSecond: record.acknowledged.size / loadSeconds,
      ack: ackPhases(record, times, loadSeconds * 1000),
      reads: reads.summary(),
      retries: stats.retries,
      eventsUnsent: stats.eventsAbandoned,
      movedByNginx: lines === undefined ? null : lines.filter((line) => isIngest(line) && line.upstreams.length > 1).length,
      storage,
      streams: streams.map((stream, index) => ({ ...stream.history, ...streamAudits[index] })),
      killDrill: times === undefined || setup.accessLog === undefined ? null : await checkRejoined(times, victim?.streams ?? null, setup.accessLog, metrics[setup.instances.indexOf(times.victim)]),
      processes,
      otherCpuPercent: machineCpuPercent - processes.reduce((sum, usage) => sum + usage.cpuPercent, 0),
      // The histogram counts each interval whole, its resolution included.
      generatorLoopDelayP99Ms: Math.max(0, loopDelay.percentile(99) / 1e6 - LOOP_DELAY_RESOLUTION_MS),
      serviceErrors: Object.fromEntries(setup.instances.map((instance) => [instance.name, instance.errorLines().length])),
      serviceLoopLag: Object.fromEntries(setup.instances.map((instance, index) => [instance.name, loopLagOf(metrics[index])])),
    };
  } finally {
    clearInterval(progress);
    ending.abort();
    loopDelay.disable();
    await reads?.stop();
    await simulation?.stop(0);
    await Promise.all(streams.map((stream) => stream.close()));
    usage.stop();
    await db?.end();
  }
}

/**
 * The instance to kill: the one holding the most instructor streams (nginx's round-robin
 * spreads them), by each instance's live_connections metric; the last one without it.
 */
async function holdingMostStreams(setup: ServiceSetup): Promise<{ instance: ServiceInstance; streams: number | null } | undefined> {
  const scrapes = await Promise.all(setup.instances.map((instance) => scrapeInstance(instance.url, ADMIN_TOKEN)));
  const held = scrapes.map((metrics) => metrics.get('session_log_live_connections') ?? null);
  const index = held.reduce<number>((best, count, at) => ((count ?? 0) > (held[best] ?? 0) ? at : best), held.length - 1);
  const instance = setup.instances[index];
  return instance === undefined ? undefined : { instance, streams: held[index] ?? null };
}

function loopLagOf(metrics: InstanceMetrics | undefined): { p99Ms: number | null; maxMs: number | null } {
  const inMs = (name: string) => {
    const seconds = metrics?.get(name);
    return seconds === undefined ? null : seconds * 1000;
  };
  return { p99Ms: inMs('session_log_nodejs_eventloop_lag_p99_seconds'), maxMs: inMs('session_log_nodejs_eventloop_lag_max_seconds') };
}

function ackPhases(record: IngestRecord, times: KillDrillTimes | undefined, endMs: number): RunResult['ack'] {
  const { latencies } = record;
  const all = latencies.summary(0, endMs);
  const warmedUp = latencies.summary(WARM_UP_MS, endMs);
  if (times === undefined) return { all, warmedUp };
  return {
    all,
    warmedUp,
    beforeKill: latencies.summary(0, times.killedAtMs),
    instanceDown: latencies.summary(times.killedAtMs, times.restartedAtMs),
    afterRestart: latencies.summary(times.restartedAtMs, endMs),
  };
}

/** Holds a rejection until it is asked for, so that a failure before then is not unhandled. */
function settle(running: Promise<KillDrillTimes>): Promise<() => KillDrillTimes> {
  return running.then(
    (times) => () => times,
    (error: unknown) => () => {
      throw error;
    },
  );
}

function progressLine(record: IngestRecord, origin: number, retries: number): string {
  const elapsedMs = performance.now() - origin;
  const recent = record.latencies.summary(elapsedMs - PROGRESS_EVERY_MS, elapsedMs);
  const { tooManyRequests, serverErrors, networkFailures } = record.counts;
  return `[${(elapsedMs / 1000).toFixed(0).padStart(4)} s] ${record.acknowledged.size.toLocaleString('en-US')} events acknowledged · last 10 s: ${recent.count} batches, ack p99 ${recent.p99Ms.toFixed(1)} ms · retries ${retries} · 429 ${tooManyRequests} · 5xx ${serverErrors} · no answer ${networkFailures}`;
}
