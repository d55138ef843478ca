// The run's result for a person: what was measured, then each check's verdict.
import { formatNumber } from '../bench/lib/stats.js';
import type { Check } from './checks.js';
import type { RunResult } from './run-result.js';
import type { LatencySummary } from './latency-log.js';

export function formatRun(result: RunResult, checks: readonly Check[]): string {
  const lines: string[] = [];
  const row = (name: string, value: string) => lines.push(`  ${name.padEnd(30)} ${value}`);
  const drill = result.killDrill;
  lines.push(
    '',
    `== ${result.students} students, ${formatNumber(result.loadSeconds)} s, ${result.instructors} instructors: ${result.setup}` +
      (drill === null ? '' : `; ${drill.victim} killed at ${drill.killedAtSeconds.toFixed(1)} s, back at ${drill.restartedAtSeconds.toFixed(1)} s`),
    'Ingest',
  );
  row('events acknowledged', `${formatNumber(result.eventsAcknowledged)} (${formatNumber(result.eventsPerSecond, 1)}/s) in ${formatNumber(result.requests)} batch POSTs`);
  row('acknowledgement (per POST)', latency(result.ack.all));
  row('  past the first 5 s', latency(result.ack.warmedUp));
  if (result.ack.beforeKill !== undefined) row('  before the kill', latency(result.ack.beforeKill));
  if (result.ack.instanceDown !== undefined) row('  one instance down', latency(result.ack.instanceDown));
  if (result.ack.afterRestart !== undefined) row('  after the restart', latency(result.ack.afterRestart));
  row('429 · 5xx · no answer · 4xx', `${result.tooManyRequests} · ${result.serverErrors} · ${result.networkFailures} · ${result.refused}`);
  row('sent again by the pages', `${result.retries} requests`);
  if (result.movedByNginx !== null) row('moved on by nginx', `${result.movedByNginx} requests (to the other instance, unseen by the pages)`);
  row('unsent at the end', `${result.eventsUnsent} events`);
  lines.push(`Dashboard reads (${result.instructors} instructors)`);
  row('all', latency(result.reads.all));
  for (const [view, summary] of Object.entries(result.reads.byView)) row(`  ${view}`, latency(summary));
  row('failed reads (by status)', Object.keys(result.reads.failures).length === 0 ? 'none' : JSON.stringify(result.reads.failures));
  lines.push('Live streams (through nginx, resumed with Last-Event-ID)');
  for (const stream of result.streams) {
    const audit = stream.expected === undefined ? 'not audited' : `${stream.missing} missing, ${stream.duplicated} twice of ${formatNumber(stream.expected ?? 0)}`;
    const drops = stream.drops === 0 ? 'never dropped' : `dropped ${stream.drops}, reconnected ${stream.reconnects} (${stream.resumedAtLastEventId} at their Last-Event-ID, longest ${formatNumber(stream.longestReconnectMs)} ms)`;
    row(JSON.stringify(stream.filter).slice(0, 30), `${formatNumber(stream.received ?? 0)} received: ${audit}; ${drops}`);
  }
  if (result.storage !== null) {
    const { storage } = result;
    lines.push('Counted in the database');
    row('events stored', formatNumber(storage.eventsStored));
    row('acknowledged but lost', String(storage.lost));
    row('stored twice (eventId · seq)', `${storage.duplicatedEventIds} · ${storage.duplicatedSeqs}`);
    row('stored, 200 never received', `${storage.storedUnacknowledged} (answers lost with the killed instance or at the deadline)`);
  }
  if (drill !== null) {
    lines.push('Kill and restart');
    row(`${drill.victim}`, `held ${drill.streamsHeld ?? 'an unknown number of'} streams; restarted in ${formatNumber(drill.restartTookMs)} ms; its /healthz ${drill.healthAtEnd}`);
    row('after its restart', `${formatNumber(drill.ingestAnsweredAfterRestart)} batches through nginx; ${drill.eventsAcceptedAfterRestart === null ? 'no events_accepted metric' : `${formatNumber(drill.eventsAcceptedAfterRestart)} events by its /metrics`}`);
  }
  lines.push('Processes (CPU: % of one core, over the run; memory: peak)');
  for (const usage of result.processes) row(usage.name, `${formatNumber(usage.cpuPercent, 1)} % · ${formatNumber(usage.peakRssMb)} MB`);
  row('anything else on the machine', `${formatNumber(result.otherCpuPercent, 1)} % (other work meanwhile: the figures above are comparable when it is low)`);
  row('generator event-loop delay', `p99 ${formatNumber(result.generatorLoopDelayP99Ms, 1)} ms`);
  for (const [name, lag] of Object.entries(result.serviceLoopLag)) {
    row(`${name} event-loop lag`, lag.p99Ms === null ? 'no metric' : `p99 ${formatNumber(lag.p99Ms, 1)} ms · max ${formatNumber(lag.maxMs ?? Number.NaN, 1)} ms (its /metrics, 10 ms sampling included)`);
  }
  row('service error lines', Object.entries(result.serviceErrors).map(([name, count]) => `${name}: ${count}`).join(', '));
  lines.push('Checks');
  for (const check of checks) lines.push(`  ${check.pass ? 'PASS' : 'FAIL'}  ${check.name}: ${check.detail}`);
  return lines.join('\n');
}

export function latency(summary: LatencySummary): string {
  if (summary.count === 0) return 'none';
  return `p50 ${formatNumber(summary.p50Ms, 1)} ms · p99 ${formatNumber(summary.p99Ms, 1)} ms · max ${formatNumber(summary.maxMs)} ms (${formatNumber(summary.count)})`;
}
