import { useEffect, useState } from 'preact/hooks';
import type { StreamState } from './event-stream.js';

/** The page's streams' states; the page is as live as its least live stream. */
const states = new Map<number, StreamState>();
const listeners = new Set<() => void>();
let nextId = 0;
const WORST_FIRST: StreamState[] = ['offline', 'reconnecting', 'connecting', 'live'];

const changed = () => listeners.forEach((listener) => listener());

/** Registers one open stream; report its state as it changes, remove it when it closes. */
export function trackStream(): { set(state: StreamState): void; remove(): void } {
  const id = nextId++;
  return {
    set(state) {
      // A refused stream is its view's to explain (a bad filter); it says nothing of the connection.
      if (state === 'refused') states.delete(id);
      else states.set(id, state);
      changed();
    },
    remove() {
      states.delete(id);
      changed();
    },
  };
}

/** The page's connection: the worst state of its open streams, or null when none is open. */
function pageConnection(): StreamState | null {
  const open = new Set(states.values());
  return WORST_FIRST.find((state) => open.has(state)) ?? null;
}

/** pageConnection(), re-rendering as it changes. */
export function usePageConnection(): StreamState | null {
  const [state, setState] = useState(pageConnection);
  useEffect(() => {
    const listener = () => setState(pageConnection());
    listeners.add(listener);
    listener();
    return () => void listeners.delete(listener);
  }, []);
  return state;
}
