import type { RunResult } from './run-result.js';

/** One thing a run must show; a run passes when all of its checks do. */
export interface Check {
  name: string;
  pass: boolean;
  detail: string;
  /** About the data (lost, stored twice, a stream's gap): a failure whatever the load, capacity steps included. */
  integrity?: true;
}

/** What a class run must show. Latencies are reported, never checked here: they depend on the machine. */
export function checksOf(result: RunResult): Check[] {
  const checks: Check[] = [
    { name: 'events acknowledged', pass: result.eventsAcknowledged > 0, detail: `${result.eventsAcknowledged}` },
    { name: 'no 429 (rate limits never limit a class)', pass: result.tooManyRequests === 0, detail: `${result.tooManyRequests} answered 429` },
    { name: 'no batch refused (4xx)', pass: result.refused === 0, detail: `${result.refused} refused` },
  ];
  const { storage } = result;
  if (storage !== null) {
    checks.push(
      { name: 'no acknowledged event lost', pass: storage.lost === 0, detail: `${storage.lost} of ${result.eventsAcknowledged} missing from the database`, integrity: true },
      {
        name: 'no event stored twice',
        integrity: true,
        pass: storage.duplicatedEventIds === 0 && storage.duplicatedSeqs === 0,
        detail: `${storage.duplicatedEventIds} eventIds, ${storage.duplicatedSeqs} (session, seq) stored more than once`,
      },
    );
    const incomplete = result.streams.filter((stream) => stream.missing !== 0 || stream.duplicated !== 0 || stream.unexpected !== 0);
    checks.push({
      name: 'every live stream got each of its events exactly once',
      integrity: true,
      pass: incomplete.length === 0 && result.streams.every((stream) => stream.expected !== undefined),
      detail: incomplete.length === 0 ? `${result.streams.length} streams complete` : incomplete.map((stream) => `${JSON.stringify(stream.filter)}: ${stream.missing} missing, ${stream.duplicated} twice, ${stream.unexpected} unexpected`).join('; '),
    });
  }
  const drill = result.killDrill;
  if (result.kill) {
    const dropped = result.streams.filter((stream) => stream.drops > 0);
    const resumed = dropped.filter((stream) => stream.reconnects >= 1 && stream.resumedAtLastEventId === stream.reconnects);
    checks.push(
      {
        name: 'the killed instance’s streams reconnected and resumed at their Last-Event-ID',
        // Those it held and no other: a stream on the surviving instance never drops.
        pass: dropped.length > 0 && resumed.length === dropped.length && (drill?.streamsHeld ?? dropped.length) === dropped.length,
        detail: `it held ${drill?.streamsHeld ?? '?'}; ${dropped.length} streams dropped, ${resumed.length} resumed where they were`,
      },
      {
        name: 'the restarted instance took events through nginx',
        pass: drill !== null && drill.healthAtEnd === 200 && drill.ingestAnsweredAfterRestart > 0,
        detail: drill === null ? 'no kill happened' : `its /healthz ${drill.healthAtEnd}; ${drill.ingestAnsweredAfterRestart} batches answered after its restart`,
      },
    );
  }
  return checks;
}
