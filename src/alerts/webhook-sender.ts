// Sends one alert to one instructor's webhook (a Slack incoming webhook, say). Retries,
// scheduling and the delivery log belong to the caller; this makes a single attempt and
// turns everything that can go wrong into a result, so a bad receiver can never crash
// or stall the alert loop.
import { createHmac } from 'node:crypto';
import type { LookupAddress } from 'node:dns';
import { request as httpRequest, type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { checkWebhookUrl, resolveAllowedAddresses, WebhookTargetError } from './webhook-url.js';

/** Receivers answer with a few bytes ("ok"); anything past this is read no further. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * One delivery attempt. `deliveryId` stays the same across retries of one alert, so a
 * receiver can drop duplicates.
 *
 * @example { url: 'https://hooks.slack.com/services/T/B/X', body: '{"text":"3 students stuck"}', secret, deliveryId: 'a1b2' }
 */
export interface WebhookRequest {
  url: string;
  body: string;
  secret: string;
  deliveryId: string;
}

/**
 * How the attempt went. `ok` is true for a 2xx whose exchange finished within the
 * timeout; `status` is the receiver's status when it answered; `error` says what went
 * wrong otherwise ("HTTP 500", "timed out after 5000 ms", "connection refused").
 *
 * @example if (!result.ok) scheduleRetry(delivery, result.error)
 */
export interface WebhookResult {
  ok: boolean;
  status: number | null;
  error: string | null;
}

/**
 * The signature a receiver checks: `sha256=` and the hex HMAC-SHA256 of the body's
 * UTF-8 bytes (the bytes `sendWebhook` sends) keyed with the webhook's secret, as
 * GitHub signs its webhooks.
 *
 * @example signBody('s3cret', '{"a":1}') // 'sha256=…'
 */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/**
 * POSTs the body once, signed, to the webhook URL. Never follows redirects, aborts after
 * `timeoutMs` (connection and response together), reads at most 64 KB of the answer,
 * and (unless `allowPrivate`) refuses to connect to any non-public address, checked on
 * the address the socket actually connects to. Never throws and never logs.
 *
 * @example const result = await sendWebhook(request, { timeoutMs: 5000, allowPrivate: false })
 */
export async function sendWebhook(
  request: WebhookRequest,
  options: { timeoutMs: number; allowPrivate: boolean },
): Promise<WebhookResult> {
  const problem = checkWebhookUrl(request.url);
  if (problem !== null) return failure(null, `webhook URL ${problem}`);
  const url = new URL(request.url);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  // Node connects to a literal IP without calling `lookup`, so the guard in the lookup
  // never sees it: check it here (resolving a literal makes no DNS query).
  if (isIP(host) !== 0) {
    try {
      await resolveAllowedAddresses(host, { allowPrivate: options.allowPrivate });
    } catch (error) {
      return failure(null, describeError(error));
    }
  }
  return exchange(url, request, options);
}

function exchange(url: URL, request: WebhookRequest, options: { timeoutMs: number; allowPrivate: boolean }): Promise<WebhookResult> {
  return new Promise((resolve) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    let outgoing: ClientRequest;
    try {
      // Throws on a header Node refuses, e.g. a delivery id holding a newline.
      outgoing = send(url, requestOptions(request, options.allowPrivate));
    } catch (error) {
      resolve(failure(null, describeError(error)));
      return;
    }
    let status: number | null = null;
    const settle = (result: WebhookResult): void => {
      clearTimeout(timer);
      // Also stops reading a long answer and frees the socket (it is never pooled).
      outgoing.destroy();
      resolve(result); // only the first call counts: a promise settles once
    };
    const timer = setTimeout(() => settle(failure(status, `timed out after ${options.timeoutMs} ms`)), options.timeoutMs);
    outgoing.on('response', (response: IncomingMessage) => {
      status = response.statusCode ?? null;
      drain(response, (error) => settle(error === null ? statusResult(response.statusCode ?? 0) : failure(status, describeError(error))));
    });
    outgoing.on('error', (error) => settle(failure(status, describeError(error))));
    outgoing.end(Buffer.from(request.body, 'utf8'));
  });
}

function requestOptions(request: WebhookRequest, allowPrivate: boolean): RequestOptions {
  return {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(request.body, 'utf8')),
      'user-agent': 'session-log',
      'x-session-log-signature-256': signBody(request.secret, request.body),
      'x-session-log-delivery': request.deliveryId,
    },
    // No shared pool: a socket opened for a call that allowed private addresses must
    // never carry a later call that does not, and every attempt gets a fresh, checked lookup.
    agent: false,
    lookup: guardedLookup(allowPrivate),
  };
}

/**
 * The `lookup` Node's socket uses to find the address it connects to. Checking here,
 * rather than in an earlier lookup, means a DNS answer that changes between check and
 * connection (DNS rebinding) cannot smuggle in a private address: the addresses handed
 * back are the ones checked.
 */
function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, lookupOptions, callback) => {
    const family = familyOf(lookupOptions.family);
    resolveAllowedAddresses(hostname, { allowPrivate, family }).then(
      (addresses) => passOn(addresses, lookupOptions.all === true, callback),
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), []),
    );
  };
}

/** Answers in the shape Node asked for: every address (happy eyeballs) or the first. */
function passOn(addresses: LookupAddress[], all: boolean, callback: Parameters<LookupFunction>[2]): void {
  const [first] = addresses;
  if (all || first === undefined) callback(null, addresses);
  else callback(null, first.address, first.family);
}

function familyOf(family: number | 'IPv4' | 'IPv6' | undefined): 0 | 4 | 6 {
  if (family === 4 || family === 'IPv4') return 4;
  if (family === 6 || family === 'IPv6') return 6;
  return 0;
}

/** Reads and discards the answer, up to MAX_RESPONSE_BYTES, then reports (null when it ended cleanly). */
function drain(response: IncomingMessage, done: (error: Error | null) => void): void {
  let received = 0;
  response.on('data', (chunk: Buffer) => {
    received += chunk.length;
    // Enough to know the receiver answered; the status is what counts.
    if (received >= MAX_RESPONSE_BYTES) done(null);
  });
  response.on('end', () => done(null));
  response.on('error', done);
  response.on('close', () => done(new Error('connection closed before the response ended')));
}

function statusResult(status: number): WebhookResult {
  if (status >= 200 && status < 300) return { ok: true, status, error: null };
  // Following a redirect would let a public receiver bounce us to a private address.
  if (status >= 300 && status < 400) return failure(status, `HTTP ${status} (redirects are not followed)`);
  return failure(status, `HTTP ${status}`);
}

function failure(status: number | null, error: string): WebhookResult {
  return { ok: false, status, error };
}

const NETWORK_ERRORS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection reset',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
};

/** A short message for the delivery log; Node's own messages can be long and vary by version. */
function describeError(error: unknown): string {
  if (error instanceof WebhookTargetError) return error.message;
  const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : null;
  if (code === null) return error instanceof Error ? error.message : 'network error';
  const known = NETWORK_ERRORS[code];
  if (known !== undefined) return known;
  if (code === 'ERR_INVALID_CHAR' || code.startsWith('ERR_HTTP_INVALID_HEADER')) return 'invalid request header';
  if (code.startsWith('HPE_')) return `invalid HTTP response (${code})`;
  if (/CERT|TLS|SSL/.test(code)) return `TLS error (${code})`;
  return `network error (${code})`;
}
