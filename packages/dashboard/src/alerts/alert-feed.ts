import { useEffect, useRef } from 'preact/hooks';
import type { SignedOut } from '../api.js';
import { trackStream } from '../live/connection-status.js';
import { openEventStream, type StreamRefused } from '../live/event-stream.js';
import { ALERTS_STREAM, type Alert } from './alerts-api.js';

export interface AlertListener {
  /** Each new alert; after a reconnection, first those fired while the stream was down (the service resends them). */
  onAlert(alert: Alert): void;
  onRefused?(error: StreamRefused | SignedOut): void;
}

const listeners = new Set<AlertListener>();
let close: (() => void) | null = null;

/** One stream of alerts for the page, however many parts listen: opened with the first, closed with the last. */
function listen(listener: AlertListener): () => void {
  listeners.add(listener);
  if (close === null) {
    const tracked = trackStream();
    const stop = openEventStream(ALERTS_STREAM, new URLSearchParams(), { messageType: 'alert', resumable: true }, {
      onMessage: (alert) => listeners.forEach((l) => l.onAlert(alert as Alert)),
      onState: (state) => tracked.set(state),
      onRefused: (error) => listeners.forEach((l) => l.onRefused?.(error)),
    });
    close = () => {
      stop();
      tracked.remove();
    };
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size > 0) return;
    close?.();
    close = null;
  };
}

/** Listens to the page's alerts while mounted. Example: `useAlertFeed({ onAlert: (alert) => show(alert) });` */
export function useAlertFeed(listener: AlertListener): void {
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(
    () =>
      listen({
        onAlert: (alert) => latest.current.onAlert(alert),
        onRefused: (error) => latest.current.onRefused?.(error),
      }),
    [],
  );
}
