// `session-log tail`: new events as they arrive, through restarts of the service, and by
// polling when a service has no live stream.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import type { WatchedChild } from '../helpers/watched-child.js';
import { startCli } from './helpers/cli.js';
import { noStreamProxy } from './helpers/no-stream-proxy.js';
import { startService, type Service } from './helpers/service.js';

interface Printed {
  event_id: number;
  event_type: string;
  event_data: { round?: number; label?: string };
}

const parse = (stdout: string) =>
  stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Printed);
const printed = (tail: WatchedChild) => parse(tail.stdout());
/** Until the tail has printed the event labelled `label`; then all it printed. */
const untilLabel = async (tail: WatchedChild, label: string) => {
  await tail.until((stdout) => parse(stdout).some((event) => event.event_data.label === label));
  return printed(tail);
};

/**
 * A tail shows what is logged once it follows: until it prints something, keep logging
 * an event it must not show and one it must. No clock involved, only the order of things.
 */
async function untilItShowsOne(service: Service, tail: WatchedChild): Promise<void> {
  for (let round = 0; printed(tail).length === 0; round += 1) {
    if (tail.child.exitCode !== null) throw new Error(`tail exited: ${tail.stderr()}`);
    await service.post([
      { sessionToken: 'ws_other', eventType: 'navigation', eventData: { round } },
      { sessionToken: 'ws_tail', eventType: 'error', eventData: { round } },
    ]);
    await sleep(50);
  }
}

const services: Service[] = [];
const tails: WatchedChild[] = [];
/** `session-log tail <args>`, stopped after the tests whatever happens. */
const startTail = (args: string[], env: Record<string, string>) => {
  const tail = startCli(['tail', ...args], env);
  tails.push(tail);
  return tail;
};

await describe('session-log tail', { concurrency: true, timeout: 60_000 }, () => {
  // In the suite: node 20 runs a file's top-level after() once its first suite ends.
  after(async () => {
    for (const tail of tails) tail.child.kill('SIGTERM');
    for (const service of services) await service.stop();
  });

  it('follows new events of the filters given, one NDJSON line each when piped', async () => {
    const service = await startService();
    services.push(service);
    const tail = startTail(['--type', 'error', '--session', 'ws_tail'], service.env);
    await untilItShowsOne(service, tail);
    await service.post([{ sessionToken: 'ws_tail', eventType: 'error', eventData: { label: 'last' } }]);
    const events = await untilLabel(tail, 'last');
    tail.child.kill('SIGTERM');
    assert.ok(events.every((event) => event.event_type === 'error'));
    assert.equal(events.at(-1)?.event_data.label, 'last');
    assert.equal(tail.stderr(), '', 'nothing on stderr when piped and all is well');
  });

  it('reconnects after the service restarts and resumes after the last event: nothing missed, nothing twice', async () => {
    const first = await startService();
    const tail = startTail(['--session', 'ws_tail'], first.env);
    await untilItShowsOne(first, tail);
    await first.stop({ keepDir: true });
    // Logged while the tail is away: the resumed stream must bring it.
    const again = await startService({ PORT: new URL(first.url).port }, first.dir);
    services.push(again);
    await again.post([{ sessionToken: 'ws_tail', eventType: 'error', eventData: { label: 'while away' } }]);
    await again.post([{ sessionToken: 'ws_tail', eventType: 'error', eventData: { label: 'after' } }]);
    const events = await untilLabel(tail, 'after');
    tail.child.kill('SIGTERM');
    assert.deepEqual(events.slice(-2).map((event) => event.event_data.label), ['while away', 'after']);
    assert.equal(new Set(events.map((event) => event.event_id)).size, events.length, 'no event twice');
    assert.match(tail.stderr(), /^session-log: .+; reconnecting\nsession-log: reconnected\n$/);
  });

  it('polls with a cursor when the service has no stream route', async () => {
    const service = await startService();
    services.push(service);
    await service.post([{ sessionToken: 'ws_tail', eventType: 'error', eventData: { label: 'history' } }]);
    const proxy = await noStreamProxy(service.url);
    const tail = startTail(['--session', 'ws_tail', '--type', 'error'], { ...service.env, SESSION_LOG_URL: proxy.url });
    await untilItShowsOne(service, tail);
    await service.post([{ sessionToken: 'ws_tail', eventType: 'error', eventData: { label: 'polled' } }]);
    const events = await untilLabel(tail, 'polled');
    tail.child.kill('SIGTERM');
    await proxy.close();
    assert.ok(events.every((event) => event.event_type === 'error' && event.event_data.label !== 'history'), 'only new events');
    assert.equal(events.at(-1)?.event_data.label, 'polled');
  });

  it('exits 4 at once when the token is refused', async () => {
    const service = await startService();
    services.push(service);
    const tail = startTail([], { SESSION_LOG_URL: service.url, SESSION_LOG_TOKEN: 'not-the-token-0123456789' });
    assert.equal(await tail.exited(), 4);
    assert.match(tail.stderr(), /^session-log: 401 unauthorized/);
  });
});
