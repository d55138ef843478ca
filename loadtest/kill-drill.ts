// The failure the load test is for: one instance SIGKILLed mid-class, started again on
// the same address later, and taken back by nginx without anything else restarting.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { isIngest, readAccessLog } from './access-log.js';
import type { InstanceMetrics } from './instance-metrics.js';
import type { ServiceInstance } from './instance.js';

export interface KillDrillTimes {
  victim: ServiceInstance;
  /** ms since the run's origin. */
  killedAtMs: number;
  /** When it answered /healthz again. */
  restartedAtMs: number;
  /** Wall clock of its new process's spawn, to read nginx's log by. */
  spawnedAtWallMs: number;
  /** From its spawn to its /healthz answering 200. */
  restartTookMs: number;
}

export interface KillDrillResult {
  victim: string;
  /** The instructors' live streams it held when it was killed, by its live_connections metric; null without it. */
  streamsHeld: number | null;
  killedAtSeconds: number;
  restartedAtSeconds: number;
  restartTookMs: number;
  /** Its own /healthz, asked directly at the end. */
  healthAtEnd: number;
  /** Ingest requests nginx gave it after its restart that it answered 200 (nginx's access log). */
  ingestAnsweredAfterRestart: number;
  /** Events it stored since its restart, from its own /metrics; null where the service has no such metric. */
  eventsAcceptedAfterRestart: number | null;
}

/** Kills `victim` at `killAtMs` after `origin`, starts it again at `restartAtMs`; `signal` calls it off (the run failed). */
export async function runKillDrill(victim: ServiceInstance, origin: number, killAtMs: number, restartAtMs: number, signal: AbortSignal, log: (line: string) => void): Promise<KillDrillTimes> {
  await sleep(Math.max(0, origin + killAtMs - performance.now()), undefined, { signal });
  await victim.kill();
  const killedAtMs = performance.now() - origin;
  log(`${victim.name} killed (SIGKILL) at ${(killedAtMs / 1000).toFixed(1)} s`);
  await sleep(Math.max(0, origin + restartAtMs - performance.now()), undefined, { signal });
  const spawnedAt = performance.now();
  const spawnedAtWallMs = Date.now();
  await victim.start();
  const restartedAtMs = performance.now() - origin;
  log(`${victim.name} restarted on the same port, answering at ${(restartedAtMs / 1000).toFixed(1)} s`);
  return { victim, killedAtMs, restartedAtMs, spawnedAtWallMs, restartTookMs: performance.now() - spawnedAt };
}

/** Ingest requests that nginx gave the restarted instance and that it answered 200, by nginx's access log. */
async function answeredAfterRestart(times: KillDrillTimes, accessLog: string): Promise<number> {
  const address = `127.0.0.1:${times.victim.port}`;
  // $time_iso8601 has whole seconds; the address answered nothing between the kill and the spawn.
  const since = Math.floor(times.spawnedAtWallMs / 1000) * 1000;
  const lines = await readAccessLog(accessLog);
  return lines.filter((line) => isIngest(line) && line.at >= since && line.status === 200 && line.upstreams.at(-1) === address).length;
}

/**
 * Waits, up to `timeoutMs`, until nginx has given the restarted instance a batch: it tries
 * an instance it left out again only after fail_timeout (10 s), so a short run may end first.
 */
export async function untilRejoined(times: KillDrillTimes, accessLog: string, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while ((await answeredAfterRestart(times, accessLog)) === 0 && performance.now() < deadline) await sleep(500);
}

/** Whether the restarted instance is back in service: its health, and what nginx and its metrics say it took. */
export async function checkRejoined(times: KillDrillTimes, streamsHeld: number | null, accessLog: string, metrics: InstanceMetrics | undefined): Promise<KillDrillResult> {
  const { victim } = times;
  return {
    victim: victim.name,
    streamsHeld,
    killedAtSeconds: times.killedAtMs / 1000,
    restartedAtSeconds: times.restartedAtMs / 1000,
    restartTookMs: times.restartTookMs,
    healthAtEnd: await statusOf(`${victim.url}/healthz`),
    ingestAnsweredAfterRestart: await answeredAfterRestart(times, accessLog),
    // A new process: its counter started at its restart.
    eventsAcceptedAfterRestart: metrics?.get('session_log_events_accepted_total') ?? null,
  };
}

async function statusOf(url: string): Promise<number> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}
