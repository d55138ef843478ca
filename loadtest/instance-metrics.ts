/** One instance's metrics by name (the sum of each one's samples); empty where it has no /metrics. */
export type InstanceMetrics = ReadonlyMap<string, number>;

/**
 * One read of an instance's own /metrics (nginx serves none: each instance counts for
 * itself). One read for all that is wanted: prom-client resets its event-loop histogram
 * at each read.
 *
 * @example (await scrapeInstance('http://127.0.0.1:3001', token)).get('session_log_live_connections') // 3
 */
export async function scrapeInstance(url: string, token: string): Promise<InstanceMetrics> {
  const metrics = new Map<string, number>();
  try {
    const response = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(5000) });
    const text = await response.text();
    if (!response.ok) return metrics;
    for (const line of text.split('\n')) {
      if (line === '' || line.startsWith('#')) continue;
      const name = /^[a-zA-Z_:][\w:]*/.exec(line)?.[0] ?? '';
      metrics.set(name, (metrics.get(name) ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1)));
    }
  } catch {
    // No answer: no metrics.
  }
  return metrics;
}
