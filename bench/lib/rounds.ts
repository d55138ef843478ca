import type { BenchContext } from './context.js';
import { runLoad, type HttpRequest, type LoadResult } from './load.js';
import { startServer, type ServerProcess, type ServerSpec } from './processes.js';

/** One server's measurements: a result per round, in round order. */
export interface Measured {
  results: LoadResult[];
  peakRssMb: number | undefined;
}

export interface RoundsOptions<K extends string> {
  specs: ReadonlyMap<K, ServerSpec>;
  /** Sent in turn by every connection. */
  requests: readonly HttpRequest[];
  /** The servers in round `round`'s order: alternating them keeps the hour's drift from favouring one. */
  order: (round: number) => readonly K[];
  /** A progress line for one result. */
  describe: (key: K, result: LoadResult, round: number) => string;
}

/**
 * Starts every server, warms each up, then runs the configured rounds of closed-loop
 * load, the servers one after the other in each round's order; stops them all however
 * it ends.
 */
export async function alternateRounds<K extends string>(ctx: BenchContext, options: RoundsOptions<K>): Promise<Map<K, Measured>> {
  const { config } = ctx;
  const servers = new Map<K, ServerProcess>();
  const measured = new Map<K, Measured>();
  try {
    for (const [key, spec] of options.specs) servers.set(key, await startServer(spec));
    const load = (server: ServerProcess, seconds: number) =>
      runLoad({ url: server.url, connections: config.ingestConnections, seconds, requests: options.requests });
    for (const server of servers.values()) await load(server, config.warmupSeconds);
    for (let round = 0; round < config.rounds; round++) {
      for (const key of options.order(round)) {
        const server = servers.get(key);
        if (server === undefined) throw new Error(`${key} is not running`);
        const result = await load(server, config.seconds);
        const entry = measured.get(key) ?? { results: [], peakRssMb: undefined };
        entry.results.push(result);
        measured.set(key, entry);
        ctx.log(options.describe(key, result, round));
      }
    }
    for (const [key, server] of servers) {
      const entry = measured.get(key);
      if (entry !== undefined) entry.peakRssMb = server.peakRssMb();
    }
  } finally {
    await Promise.all([...servers.values()].map((server) => server.stop()));
  }
  return measured;
}
