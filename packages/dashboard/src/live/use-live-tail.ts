import { useEffect, useRef, useState } from 'preact/hooks';
import { SignedOut, type StoredEvent } from '../api.js';
import type { StreamState } from './event-stream.js';
import { EVENTS, EVENTS_STREAM, useEventStream } from './use-event-stream.js';

/** The live view keeps the newest this many events. */
export const TAIL_MAX = 500;

export interface LiveTail {
  /** Newest first. */
  events: StoredEvent[];
  /** Arrived while paused, not shown yet (all counted; the newest TAIL_MAX kept). */
  held: number;
  state: StreamState | null;
  /** Why the service refused the stream (a bad filter), or null. */
  refusal: string | null;
  clear(): void;
}

/**
 * The events the live stream brings for `filters` (null: none open), newest first; while
 * `paused` they are held and counted, and shown when it resumes.
 */
export function useLiveTail(filters: string | null, paused: boolean, onError: (error: unknown) => void): LiveTail {
  const [events, setEvents] = useState<StoredEvent[]>([]);
  const [held, setHeld] = useState(0);
  const [refusal, setRefusal] = useState<string | null>(null);
  const holding = useRef<StoredEvent[]>([]);
  const show = (arrived: StoredEvent[]) => setEvents((shown) => [...arrived].reverse().concat(shown).slice(0, TAIL_MAX));
  useEffect(() => {
    setEvents([]);
    setRefusal(null);
    holding.current = [];
    setHeld(0);
  }, [filters]);
  useEffect(() => {
    if (paused || holding.current.length === 0) return;
    show(holding.current);
    holding.current = [];
    setHeld(0);
  }, [paused]);
  const state = useEventStream(filters === null ? null : EVENTS_STREAM, filters ?? '', EVENTS, {
    onMessage: (data) => {
      const event = data as StoredEvent;
      if (!paused) return show([event]);
      holding.current.push(event);
      if (holding.current.length > TAIL_MAX) holding.current.shift();
      setHeld((count) => count + 1);
    },
    onRefused: (error) => (error instanceof SignedOut ? onError(error) : setRefusal(error.message)),
  });
  return { events, held, state, refusal, clear: () => setEvents([]) };
}
