// What one class run measured, as the report prints it and the JSON carries it.
import type { ReadSummaries } from './dashboard-reads.js';
import type { StorageAudit, StreamAudit } from './database-audit.js';
import type { IngestCounts } from './ingest-record.js';
import type { KillDrillResult } from './kill-drill.js';
import type { LatencySummary } from './latency-log.js';
import type { StreamHistory } from './live-stream.js';
import type { ProcessUsage } from './process-usage.js';

export interface RunPlan {
  students: number;
  durationSeconds: number;
  instructors: number;
  kill: boolean;
  seed: number;
}

export interface RunResult extends RunPlan, IngestCounts {
  setup: string;
  /** The students' time: the planned duration, and as long as the killed instance took to rejoin past it. */
  loadSeconds: number;
  eventsAcknowledged: number;
  eventsPerSecond: number;
  /**
   * Per batch POST, from its start to its 200, while the class works (not its last flush,
   * every page at once as the run ends): all of them; those past the first 5 s (the class
   * arrived, the instances warmed up); by phase when an instance was killed.
   */
  ack: { all: LatencySummary; warmedUp: LatencySummary; beforeKill?: LatencySummary; instanceDown?: LatencySummary; afterRestart?: LatencySummary };
  reads: ReadSummaries;
  /** Requests the students' pages sent again (a 5xx, 429 or no answer). */
  retries: number;
  /** Events still unsent when the students stopped and their last flush ran out of time. */
  eventsUnsent: number;
  /** Ingest requests nginx moved to the other instance after the first failed (its access log). */
  movedByNginx: number | null;
  /** Counted in the database at the end; null on SQLite (the capacity steps). */
  storage: StorageAudit | null;
  streams: Array<StreamHistory & Partial<StreamAudit>>;
  killDrill: KillDrillResult | null;
  processes: ProcessUsage[];
  /** The machine's CPU outside those processes (other work running meanwhile): figures are comparable only when it is low. */
  otherCpuPercent: number;
  /** The load generator's own event-loop delay: high, and the latencies above are partly its own. */
  generatorLoopDelayP99Ms: number;
  /** Lines the instances logged at level error or above. */
  serviceErrors: Record<string, number>;
  /**
   * Each instance's event-loop lag by its own /metrics, over the run (the restarted one's
   * since its start, its start-up included; prom-client's figures, its 10 ms sampling included): a stalled loop
   * delays every answer.
   */
  serviceLoopLag: Record<string, { p99Ms: number | null; maxMs: number | null }>;
}
