// The unsent events of this tab: sent in batches, retried with backoff until the service
// acknowledges them, kept in localStorage until then, and handed to the browser with a
// beacon when the page goes away. Every event has an id, so sending one twice stores it
// once. Bodies go as text/plain (what a beacon sends), which needs no CORS preflight.
import { random } from './session.js';
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

/** The options the outbox reads each time it needs one, so that init() can change them. */
export interface OutboxOptions {
  /** Default `/api/session-log` on the page's origin. */
  endpoint?: string | undefined;
  /** Send 1 s after the first queued event (default)… */
  flushDelayMs?: number | undefined;
  /** …or at once when 50 are queued (default). */
  batchSize?: number | undefined;
  /** Keep at most 1000 unsent events (default); past that the oldest are dropped and counted. */
  maxQueued?: number | undefined;
}

const STORE_PREFIX = 'sl:q:';
/** A beacon may carry 64 KB; counted in characters of up to 3 bytes each. */
const BEACON_CHARS = 20_000;
/** The service takes at most 500 events and 1 MB per request (a character is at most 3 bytes). */
const MAX_BATCH = 500;
/**
 * The fetch of when the SDK loaded: autocapture wraps the page's fetch later, and so
 * never sees the SDK's own requests, wherever they go.
 */
const post = fetch;
const MAX_BODY_CHARS = 3e5;

let options: OutboxOptions;
let reportDrop: (count: number) => void;
let storeKey: string;
let queue: OutgoingEvent[] = [];
let dropped = 0;
let sending = false;
let failures = 0;
let retryAt = 0;
let timer = 0;
/**
 * Events per request: halved after a refusal, until the refused event stands alone;
 * doubled after each answer (a batch never exceeds the service's cap all the same).
 */
let batchLimit = MAX_BATCH;

const bodyOf = (events: OutgoingEvent[]) => JSON.stringify({ events });
const endpoint = () => options.endpoint ?? '/api/session-log';

function persist(): void {
  try {
    if (queue.length) localStorage.setItem(storeKey, JSON.stringify(queue));
    else localStorage.removeItem(storeKey);
  } catch {
    // Storage full or blocked: the events stay in memory.
  }
}

/** A send in `delay` ms, unless one is due already (an empty queue makes it a no-op). */
function schedule(delay: number): void {
  if (!timer) {
    timer = setTimeout(() => {
      timer = 0;
      void send();
    }, delay);
  }
}

/** The oldest events that fit in one request of `maxChars` (at least one). */
function takeBatch(maxChars: number): OutgoingEvent[] {
  let end = 0;
  for (let chars = 0; end < queue.length && end < batchLimit && end < MAX_BATCH; end++) {
    chars += JSON.stringify(queue[end]).length;
    if (chars > maxChars && end) break;
  }
  return queue.slice(0, end);
}

async function send(): Promise<void> {
  if (sending || !queue.length) return;
  // In backoff, whatever asked for this send (flush() clears it first): wait it out.
  const wait = retryAt - Date.now();
  if (wait > 0) return schedule(wait);
  sending = true;
  persist();
  const batch = takeBatch(MAX_BODY_CHARS);
  /** Milliseconds the service asked us to wait; 0 when this batch is done with. */
  let retryAfter = 1;
  try {
    // No timeout of our own: a request that never ends holds later sends back (they wait in
    // storage and go with the page-hide beacon), it loses nothing; the 2 KB budget decided.
    const response = await post(endpoint(), { method: 'POST', body: bodyOf(batch) });
    const { status } = response;
    if (!response.ok) warn(`HTTP ${status}`);
    // Worth retrying: the service is down or busy (5xx, 408, 429). Any other answer is final
    // for this batch. Retry-After in seconds; absent or a date, it is 0 or NaN and the
    // backoff alone decides.
    if (/^5|408|429/.test(status as unknown as string /* its digits */)) retryAfter = +(response.headers.get('retry-after') as string) * 1000 || 1;
    // Refused: one bad event refuses its whole batch, so send the halves apart (no wait)
    // until the bad one is alone; that one is dropped, the others are stored.
    else if (!response.ok && batch[1]) {
      batchLimit = batch.length >> 1;
      retryAfter = 0;
    }
    else {
      retryAfter = failures = 0;
      batchLimit *= 2;
      queue = queue.filter((event) => !batch.includes(event));
      // Now that there is room, say how many were dropped while the queue was full (a
      // report on a full queue would push out one more). It goes with the next send.
      if (dropped) reportDrop(dropped);
      dropped = 0;
      persist();
    }
  } catch {
    // Network down, or no answer in time: retry.
    warn('offline');
  }
  // Exponential backoff capped at 30 s, with full jitter so that a class of browsers does not retry in step.
  if (retryAfter) retryAt = Date.now() + Math.max(retryAfter, Math.min(3e4, 1e3 * 2 ** ++failures) * Math.random());
  sending = false;
  schedule(0);
}

/** Starts the outbox and takes over what earlier page loads of this site left unsent. */
export function openOutbox(settings: OutboxOptions, onDrop: (count: number) => void): void {
  options = settings;
  reportDrop = onDrop;
  storeKey = STORE_PREFIX + random();
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
  // The last events a page reliably gets when it is closed or left (pagehide: also when it
  // was hidden already). visibilitychange fires when it shows again too: a harmless early send.
  addEventListener('visibilitychange', beacon);
  addEventListener('pagehide', beacon);
}

export function enqueue(event: OutgoingEvent): void {
  if (queue.push(event) > (options.maxQueued ?? 1000)) {
    queue.shift();
    dropped++;
  }
  if (queue.length < (options.batchSize ?? 50)) schedule(options.flushDelayMs ?? 1000);
  else void send();
}

/** Sends now, skipping any backoff (the network came back, or the page asked). */
export function flush(): Promise<void> {
  // A pending timer still fires later: send() then finds nothing, or only what came since.
  retryAt = 0;
  return send();
}

/**
 * The page is going away: hand the oldest events to the browser, which sends them even
 * after the page is gone (one beacon: a backlog larger than that waits in storage for
 * the next page load). The events stay stored until acknowledged, so if this page lives
 * on or the beacon is lost, they are sent again (and stored once).
 */
function beacon(): void {
  persist();
  if (queue.length) navigator.sendBeacon(endpoint(), bodyOf(takeBatch(BEACON_CHARS)));
}
