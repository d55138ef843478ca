import { SignedOut } from '../api.js';

/** How a stream is doing: `refused` is for good (a 4xx: a bad filter, no such route). */
export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'offline' | 'refused';

/** The server refused to open the stream, and will again: its status and message. */
export class StreamRefused extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface StreamHandlers {
  /** The stream is up (again); `resumed` when it carries on from an earlier one's position, nothing missed. */
  onReady?(resumed: boolean): void;
  /** One message of the stream's kind (`event`, `alert`), parsed. */
  onMessage(data: unknown): void;
  onState?(state: StreamState): void;
  /** Refused for good (SignedOut on a 401); no retry follows. */
  onRefused?(error: StreamRefused | SignedOut): void;
}

export interface StreamOptions {
  /** The SSE message type to hand on (`event`, `alert`). */
  messageType: string;
  /** Whether its ids are cursors the route takes back as `?cursor=` (the session-log stream's are). */
  resumable: boolean;
}

/** Down this long, the stream says offline rather than reconnecting (it keeps trying). */
const OFFLINE_AFTER_MS = 10_000;
const MAX_BACKOFF_MS = 30_000;

/**
 * A Server-Sent Events stream that stays up: EventSource reconnects by itself after a
 * network error or an `end` (resuming with Last-Event-ID); after a refusal (a non-200
 * answer, which EventSource gives up on) this asks the route why, and retries with
 * backoff from the last position unless the answer is a 4xx. Returns its close.
 *
 * @example const close = openEventStream('/api/session-log/stream', new URLSearchParams({ eventType: 'error' }), { messageType: 'event', resumable: true }, { onMessage: show });
 */
export function openEventStream(path: string, filters: URLSearchParams, options: StreamOptions, handlers: StreamHandlers): () => void {
  let source: EventSource | null = null;
  let cursor: string | null = null;
  let state: StreamState | null = null;
  let failures = 0;
  let retryTimer = 0;
  let offlineTimer = 0;
  let probe: AbortController | null = null;
  let closed = false;

  const setState = (next: StreamState) => {
    if (next === state || closed) return;
    state = next;
    handlers.onState?.(next);
  };
  const down = () => {
    if (state !== 'connecting' && state !== 'offline') setState(navigator.onLine ? 'reconnecting' : 'offline');
    offlineTimer ||= window.setTimeout(() => setState('offline'), OFFLINE_AFTER_MS);
  };
  const up = () => {
    clearTimeout(offlineTimer);
    offlineTimer = 0;
    failures = 0;
    setState('live');
  };
  const url = () => {
    const query = new URLSearchParams(filters);
    if (cursor !== null && options.resumable) query.set('cursor', cursor);
    const text = query.toString();
    return text === '' ? path : `${path}?${text}`;
  };
  const retryLater = () => {
    failures += 1;
    const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (failures - 1)) * (0.5 + Math.random() / 2);
    retryTimer = window.setTimeout(connect, delay);
  };
  const refuse = (error: StreamRefused | SignedOut) => {
    clearTimeout(offlineTimer);
    setState('refused');
    closed = true;
    handlers.onRefused?.(error);
  };
  // EventSource does not say why it was refused: ask the route once, and drop the stream it may open.
  const askWhy = async () => {
    probe = new AbortController();
    try {
      const response = await fetch(url(), { signal: probe.signal, headers: { accept: 'text/event-stream' } });
      if (response.status === 401) return refuse(new SignedOut());
      if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
        const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
        return refuse(new StreamRefused(response.status, body?.error?.message ?? `HTTP ${response.status}`));
      }
    } catch {
      // Unreachable, or aborted by close: retried below unless closed.
    } finally {
      probe.abort();
      probe = null;
    }
    if (!closed) retryLater();
  };
  function connect() {
    const opened = new EventSource(url());
    source = opened;
    opened.addEventListener('ready', (message: MessageEvent<string>) => {
      const resumed = cursor !== null && options.resumable;
      if (message.lastEventId !== '') cursor = message.lastEventId;
      up();
      handlers.onReady?.(resumed);
    });
    opened.addEventListener(options.messageType, (message: MessageEvent<string>) => {
      if (message.lastEventId !== '') cursor = message.lastEventId;
      handlers.onMessage(JSON.parse(message.data));
    });
    // The server ends the stream (too slow, shutting down): EventSource reconnects and resumes.
    opened.addEventListener('end', down);
    opened.addEventListener('error', () => {
      down();
      if (opened.readyState !== EventSource.CLOSED) return;
      source = null;
      void askWhy();
    });
  }

  setState('connecting');
  offlineTimer = window.setTimeout(() => setState('offline'), OFFLINE_AFTER_MS);
  connect();
  return () => {
    closed = true;
    source?.close();
    probe?.abort();
    clearTimeout(retryTimer);
    clearTimeout(offlineTimer);
  };
}
