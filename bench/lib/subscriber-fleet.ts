import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import type { FleetReport } from './subscriber-fleet-process.js';

/** A fleet of live subscribers in a child process (subscriber-fleet-process.ts). */
export class SubscriberFleet {
  private constructor(private readonly child: ChildProcess) {}

  /** Opens one SSE subscription per query string to the service at `url`, and waits until they are open. */
  static async start(url: string, token: string, queries: string[]): Promise<SubscriberFleet> {
    const child = fork(path.join(import.meta.dirname, 'subscriber-fleet-process.ts'), { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const fleet = new SubscriberFleet(child);
    try {
      child.send({ type: 'start', url, token, queries });
      await fleet.next('started');
      for (let waited = 0; (await fleet.report()).connected < queries.length; waited += 1) {
        if (waited > 100) throw new Error('the live subscribers did not all connect');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return fleet;
    } catch (error) {
      child.kill();
      throw error;
    }
  }

  /** Delivery latencies since the last report (and the connection counts). */
  async report(): Promise<FleetReport> {
    this.child.send({ type: 'report' });
    return ((await this.next('report')) as { report: FleetReport }).report;
  }

  async stop(): Promise<void> {
    this.child.send({ type: 'stop' });
    await once(this.child, 'exit');
  }

  private async next(type: string): Promise<unknown> {
    for (;;) {
      const [message] = (await once(this.child, 'message')) as [{ type: string }];
      if (message.type === type) return message;
    }
  }
}
