// The largest class a setup serves: the class steps up, a fresh setup and a short run
// each (no kill), until acknowledgement p99 reaches 50 ms or a check fails. The p99 is
// of the acknowledgements past each step's first 5 s: the class has arrived (all of it
// within 5 s, harsher than any real class) and the new instances have warmed up.
import { formatNumber } from '../bench/lib/stats.js';
import { checksOf } from './checks.js';
import { runClass } from './class-run.js';
import type { ProcessUsage } from './process-usage.js';
import type { ServiceSetup } from './service-setup.js';

export const ACK_P99_TARGET_MS = 50;
const STEPS = [250, 500, 750, 1000, 1500, 2000, 3000, 4000, 6000, 8000, 12_000];

export interface CapacityStep {
  students: number;
  eventsPerSecond: number;
  ackP99Ms: number;
  readP99Ms: number;
  /** The checks that failed (429s, lost events…); empty when all passed. */
  failedChecks: string[];
  /** Whether the data came through whole (nothing lost, nothing twice, no stream with a gap), whatever the latency. */
  intact: boolean;
  served: boolean;
  generatorLoopDelayP99Ms: number;
  processes: ProcessUsage[];
  otherCpuPercent: number;
}

export interface CapacityResult {
  setup: string;
  steps: CapacityStep[];
  /** The largest class served with ack p99 under 50 ms and every check passed; null if not even the first. */
  largestServed: number | null;
}

export interface CapacityPlan {
  stepSeconds: number;
  instructors: number;
  seed: number;
}

export async function findCapacity(label: string, start: () => Promise<ServiceSetup>, plan: CapacityPlan, log: (line: string) => void): Promise<CapacityResult> {
  const steps: CapacityStep[] = [];
  for (const students of STEPS) {
    log(`capacity, ${label}: ${students} students for ${plan.stepSeconds} s`);
    const setup = await start();
    try {
      const result = await runClass(setup, { students, durationSeconds: plan.stepSeconds, instructors: plan.instructors, kill: false, seed: plan.seed }, log);
      const failed = checksOf(result).filter((check) => !check.pass);
      const failedChecks = failed.map((check) => `${check.name}: ${check.detail}`);
      const step: CapacityStep = {
        students,
        eventsPerSecond: result.eventsPerSecond,
        ackP99Ms: result.ack.warmedUp.p99Ms,
        readP99Ms: result.reads.all.p99Ms,
        failedChecks,
        intact: !failed.some((check) => check.integrity === true),
        served: failedChecks.length === 0 && result.ack.warmedUp.p99Ms < ACK_P99_TARGET_MS,
        generatorLoopDelayP99Ms: result.generatorLoopDelayP99Ms,
        processes: result.processes,
        otherCpuPercent: result.otherCpuPercent,
      };
      steps.push(step);
      log(formatStep(step));
      if (!step.served) break;
    } finally {
      await setup.close();
    }
  }
  return { setup: label, steps, largestServed: steps.filter((step) => step.served).at(-1)?.students ?? null };
}

export function formatCapacity(result: CapacityResult): string {
  const served = result.largestServed === null ? 'none of the steps' : `${formatNumber(result.largestServed)} students`;
  return [`== Capacity, ${result.setup}: ${served} with acknowledgement p99 under ${ACK_P99_TARGET_MS} ms`, ...result.steps.map((step) => `  ${formatStep(step)}`)].join('\n');
}

function formatStep(step: CapacityStep): string {
  const cpu = [...step.processes.map((usage) => `${usage.name} ${formatNumber(usage.cpuPercent)} %`), `anything else ${formatNumber(step.otherCpuPercent)} %`].join(', ');
  const verdict = step.served ? 'served' : step.failedChecks.length > 0 ? `FAILED: ${step.failedChecks.join('; ')}` : `p99 over ${ACK_P99_TARGET_MS} ms`;
  return `${formatNumber(step.students).padStart(6)} students: ${formatNumber(step.eventsPerSecond)} events/s, ack p99 ${formatNumber(step.ackP99Ms, 1)} ms, read p99 ${formatNumber(step.readP99Ms)} ms, generator loop delay p99 ${formatNumber(step.generatorLoopDelayP99Ms)} ms; CPU: ${cpu} → ${verdict}`;
}
