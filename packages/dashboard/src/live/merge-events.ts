import type { StoredEvent } from '../api.js';

/**
 * `current` and `incoming` as one list in event_id order (the order events were stored),
 * each event once, the latest `max` kept. Live events usually come after the last one: appended.
 */
export function mergeEvents(current: readonly StoredEvent[], incoming: readonly StoredEvent[], max: number): StoredEvent[] {
  const last = current.at(-1)?.event_id ?? 0;
  let merged: StoredEvent[];
  if (incoming.every((event, i) => event.event_id > (i === 0 ? last : (incoming[i - 1]?.event_id ?? 0)))) merged = [...current, ...incoming];
  else {
    const byId = new Map(current.map((event) => [event.event_id, event]));
    for (const event of incoming) byId.set(event.event_id, event);
    merged = [...byId.values()].sort((a, b) => a.event_id - b.event_id);
  }
  return merged.length > max ? merged.slice(merged.length - max) : merged;
}
