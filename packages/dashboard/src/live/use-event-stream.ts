import { useEffect, useRef, useState } from 'preact/hooks';
import type { SignedOut } from '../api.js';
import { trackStream } from './connection-status.js';
import { openEventStream, type StreamOptions, type StreamRefused, type StreamState } from './event-stream.js';

export interface StreamCallbacks {
  onReady?(resumed: boolean): void;
  onMessage(data: unknown): void;
  onRefused?(error: StreamRefused | SignedOut): void;
}

/** The session-log live tail: the query API's filters, its events, its cursors. */
export const EVENTS_STREAM = '/api/session-log/stream';
export const EVENTS: StreamOptions = { messageType: 'event', resumable: true };

/**
 * Keeps a stream open while mounted (reopened when `path` or `filters` change, none when
 * `path` is null), counted in the page's connection indicator; returns its state.
 * Example: `const state = useEventStream(EVENTS_STREAM, 'eventType=error', EVENTS, { onMessage: add });`
 */
export function useEventStream(path: string | null, filters: string, options: StreamOptions, callbacks: StreamCallbacks): StreamState | null {
  const [state, setState] = useState<StreamState | null>(null);
  // The latest callbacks, without reopening the stream each render.
  const latest = useRef(callbacks);
  latest.current = callbacks;
  useEffect(() => {
    if (path === null) return;
    const tracked = trackStream();
    const close = openEventStream(path, new URLSearchParams(filters), options, {
      onReady: (resumed) => latest.current.onReady?.(resumed),
      onMessage: (data) => latest.current.onMessage(data),
      onState: (next) => {
        tracked.set(next);
        setState(next);
      },
      onRefused: (error) => latest.current.onRefused?.(error),
    });
    return () => {
      close();
      tracked.remove();
      setState(null);
    };
  }, [path, filters, options.messageType, options.resumable]);
  return state;
}
