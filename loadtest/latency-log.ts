import { percentile } from '../bench/lib/stats.js';

export interface LatencySummary {
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/**
 * Latencies with the moment each request began, so that a run can be cut in phases (before
 * the kill, one instance down, after its restart; not the students' last flush, all of
 * them at once when the class stops). Two growing number arrays: a class's requests cost
 * no allocation each.
 */
export class LatencyLog {
  private readonly at: number[] = [];
  private readonly ms: number[] = [];

  constructor(private readonly origin: number) {}

  /** A request that began at `startedAt` (performance.now() time) and took `latencyMs`. */
  add(latencyMs: number, startedAt: number): void {
    this.at.push(startedAt - this.origin);
    this.ms.push(latencyMs);
  }

  /** Those that began within [fromMs, toMs) of the origin; all by default. */
  summary(fromMs = 0, toMs = Number.POSITIVE_INFINITY): LatencySummary {
    const picked = this.ms.filter((_ms, index) => (this.at[index] ?? -1) >= fromMs && (this.at[index] ?? -1) < toMs);
    const sorted = Float64Array.from(picked).sort();
    return { count: sorted.length, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), maxMs: sorted.at(-1) ?? Number.NaN };
  }
}
