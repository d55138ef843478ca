import type { StoredEvent } from '../storage/types.js';

/**
 * What a live subscriber is sent, whatever carries it (SSE or WebSocket):
 * - `ready`: the stream is open; `cursor` is where it starts (every earlier event is final).
 * - `event`: one event, in the query API's shape; `cursor` resumes right after it.
 * - `error`: the stream ends (too slow to keep up, the database away) and says why.
 */
export type StreamMessage =
  | { type: 'ready'; cursor: string }
  | { type: 'event'; cursor: string; event: StoredEvent }
  | { type: 'error'; error: { code: string; message: string } };

const serialized = new WeakMap<StoredEvent, string>();

/** An event as JSON, computed once however many subscribers it goes to. */
export function eventJson(event: StoredEvent): string {
  let json = serialized.get(event);
  if (json === undefined) {
    json = JSON.stringify(event);
    serialized.set(event, json);
  }
  return json;
}
