// The unsent events of this tab: sent in batches, retried with backoff until the service
// acknowledges them, kept in localStorage until then, and handed to the browser with a
// beacon when the page goes away. Every event has an id, so sending one twice stores it
// once. Bodies go as text/plain (what a beacon sends), which needs no CORS preflight.
import { uuid } from './session.js';
import { warn } from './warn.js';

/** An event as the service's batch POST takes it. */
export interface OutgoingEvent {
  sessionToken: string;
  studentEmail?: string | undefined;
  studentName?: string | undefined;
  eventType: string;
  eventData: Record<string, unknown>;
  eventId: string;
  seq: number;
}

export interface OutboxOptions {
  endpoint: string;
  /** Send this long after the first queued event, or at once when `batchSize` are queued. */
  flushDelayMs: number;
  batchSize: number;
  /** Past this many unsent events the oldest are dropped, and counted for `reportDrop`. */
  maxQueued: number;
}

const STORE_PREFIX = 'sl:queue:';
/** Beacons may carry 64 KB, all together; counted in characters of up to 3 bytes each. */
const BEACON_CHARS = 20_000;
/**
 * The service takes at most 500 events and 1 MB per request: an event is over 200
 * characters with its context, and a character at most 3 bytes.
 */
const MAX_BODY_CHARS = 1e5;

let options: OutboxOptions;
let reportDrop: (count: number) => void;
let storeKey: string;
let queue: OutgoingEvent[] = [];
let dropped = 0;
let sending = false;
let failures = 0;
let retryAt = 0;
let timer = 0;

const bodyOf = (events: OutgoingEvent[]) => JSON.stringify({ events });

function persist(): void {
  try {
    if (queue.length) localStorage.setItem(storeKey, JSON.stringify(queue));
    else localStorage.removeItem(storeKey);
  } catch {
    // Storage full or blocked: the events stay in memory.
  }
}

function schedule(delay: number): void {
  if (!timer && queue.length) {
    timer = setTimeout(() => {
      timer = 0;
      void send();
    }, Math.max(delay, retryAt - Date.now()));
  }
}

/** The events from `from` on that fit in one request of `maxChars`. */
function takeBatch(from: number, maxChars: number): OutgoingEvent[] {
  let end = from;
  for (let chars = 0; end < queue.length; end++) {
    chars += JSON.stringify(queue[end]).length;
    if (chars > maxChars && end > from) break;
  }
  return queue.slice(from, end);
}

async function send(): Promise<void> {
  if (sending || !queue.length) return;
  if (dropped) reportDrop(dropped);
  dropped = 0;
  persist();
  sending = true;
  const batch = takeBatch(0, MAX_BODY_CHARS);
  /** Milliseconds the service asked us to wait; 0 when this batch is done with. */
  let retryAfter = 1;
  try {
    const response = await fetch(options.endpoint, { method: 'POST', body: bodyOf(batch), signal: AbortSignal.timeout(15e3) });
    const { status } = response;
    // Worth retrying: the service is down or busy. Any other answer is final for this batch.
    if (status > 499 || status === 408 || status === 429) retryAfter = Number(response.headers.get('retry-after')) * 1000 || 1;
    else {
      if (!response.ok) warn(`events refused: HTTP ${status}`);
      retryAfter = failures = 0;
      queue = queue.filter((event) => !batch.includes(event));
      persist();
    }
  } catch {
    // Network down, or no answer in time: retry.
  }
  if (retryAfter) {
    warn('service unavailable; will retry');
    // Exponential, capped at 30 s, jittered so that a class of browsers does not retry in step.
    retryAt = Date.now() + Math.max(retryAfter, Math.min(3e4, 500 * 2 ** ++failures) * (0.5 + Math.random() / 2));
  }
  sending = false;
  schedule(0);
}

/** Starts the outbox and takes over what earlier page loads of this site left unsent. */
export function openOutbox(settings: OutboxOptions, onDrop: (count: number) => void): void {
  options = settings;
  reportDrop = onDrop;
  storeKey = STORE_PREFIX + uuid();
  try {
    for (const key of Object.keys(localStorage)) {
      if (key.startsWith(STORE_PREFIX)) {
        queue.push(...(JSON.parse(localStorage.getItem(key) as string) as OutgoingEvent[]));
        localStorage.removeItem(key);
      }
    }
  } catch {
    // Unreadable leftovers are skipped.
  }
  schedule(0);
  addEventListener('pagehide', beacon);
  addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && beacon());
  addEventListener('online', () => void flush());
}

export function enqueue(event: OutgoingEvent): void {
  if (queue.push(event) > options.maxQueued) {
    queue.shift();
    dropped++;
  }
  schedule(queue.length < options.batchSize ? options.flushDelayMs : 0);
}

/** Sends now, skipping any backoff (the network came back, or the page asked). */
export function flush(): Promise<void> {
  retryAt = 0;
  clearTimeout(timer);
  timer = 0;
  return send();
}

/**
 * The page is going away: hand everything to the browser, which sends it even after the
 * page is gone. The events stay stored until acknowledged, so if this page lives on or
 * a beacon is lost, they are sent again (and stored once).
 */
function beacon(): void {
  persist();
  for (let from = 0; from < queue.length; ) {
    const batch = takeBatch(from, BEACON_CHARS);
    if (!navigator.sendBeacon(options.endpoint, bodyOf(batch))) break;
    from += batch.length;
  }
}
