import { useEffect, useRef, useState } from 'preact/hooks';
import type { StoredEvent } from '../api.js';
import { SessionFeed, type SessionEvents } from './session-feed.js';
import { EVENTS, EVENTS_STREAM, useEventStream } from './use-event-stream.js';

/**
 * One session's events, live: the stream filtered by its token opens first, the history
 * is read once it is ready, and each new event joins them. Null until the history is in.
 */
export function useSessionEvents(sessionToken: string, onError: (error: unknown) => void): SessionEvents | null {
  const [shown, setShown] = useState<SessionEvents | null>(null);
  const feed = useRef<SessionFeed | null>(null);
  useEffect(() => {
    const next = new SessionFeed(sessionToken, setShown, onError);
    feed.current = next;
    setShown(null);
    return () => next.stop();
  }, [sessionToken]);
  const state = useEventStream(EVENTS_STREAM, new URLSearchParams({ sessionToken }).toString(), EVENTS, {
    // A fresh stream (not one resuming where it left off): what came before it is read now.
    onReady: (resumed) => {
      if (!resumed) void feed.current?.loadHistory();
    },
    onMessage: (event) => feed.current?.add([event as StoredEvent]),
  });
  useEffect(() => feed.current?.setLive(state === 'live'), [state, sessionToken]);
  return shown;
}
