import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RateLimitedError } from '../errors.js';

/**
 * Requests per minute, counted by each instance in its own memory (behind a proxy that
 * spreads requests evenly, a client's allowance is this times the instances). 0: no limit.
 */
export interface RateLimits {
  /** Ingest requests from one client address: a school behind one NAT is one address. */
  ingestPerAddress: number;
  /** Ingest requests for one session token: one page in a loop, or a script replaying a token. */
  ingestPerSession: number;
  /** Wrong instructor credentials (sign-in, Bearer, metrics token) from one client address. */
  failedSignIns: number;
}

/**
 * The SDK sends a page's events at most about once a second (a batch after 1 s, or at 50
 * events), so a class of 500 behind one address sends at most about 30,000 requests a
 * minute: the address limit is twice that on one instance. A session gets ten times what
 * its page sends at most.
 */
export const DEFAULT_RATE_LIMITS: RateLimits = { ingestPerAddress: 60_000, ingestPerSession: 600, failedSignIns: 10 };

const WINDOW_MS = 60_000;

export type LimitName = 'ingest_address' | 'ingest_session' | 'sign_in';

/** A check for one request: throws RateLimitedError (429, Retry-After) once its key is over the limit. */
export type Limiter = (request: FastifyRequest) => Promise<void>;

export interface Limiters {
  /** An onRequest hook: before the body is read. */
  ingestByAddress: Limiter;
  /** A preHandler hook: the session token is in the parsed body. */
  ingestBySession: Limiter;
  /** Refuses an address that has given too many wrong credentials; `failed` counts one. */
  signIn: { check: Limiter; failed: (request: FastifyRequest) => Promise<void> };
}

/** Registers @fastify/rate-limit (its in-memory store) and makes this service's limiters from it. */
export async function registerRateLimits(app: FastifyInstance, limits: RateLimits, onLimited: (limit: LimitName) => void): Promise<Limiters> {
  // Each limiter remembers the 5,000 keys it saw last (the plugin's default): a key
  // forgotten starts counting again, which can only let more through.
  await app.register(rateLimit, { global: false });
  const make = (name: LimitName, max: number, keyOf: (request: FastifyRequest) => string) => {
    const count = app.createRateLimit({ max, timeWindow: WINDOW_MS, keyGenerator: keyOf });
    return async (request: FastifyRequest, increment = true): Promise<void> => {
      if (max === 0) return;
      const state = await count(request, { increment });
      if (state.isAllowed || !state.isExceeded) return;
      onLimited(name);
      throw new RateLimitedError(messages[name], Math.max(1, state.ttlInSeconds));
    };
  };
  const byAddress = (request: FastifyRequest) => normalizeIP(request.ip, 64);
  const ingestByAddress = make('ingest_address', limits.ingestPerAddress, byAddress);
  const ingestBySession = make('ingest_session', limits.ingestPerSession, (request) => sessionOf(request.body));
  const signIn = make('sign_in', limits.failedSignIns, byAddress);
  return {
    ingestByAddress: (request) => ingestByAddress(request),
    ingestBySession: (request) => ingestBySession(request),
    signIn: {
      // Reading the count without adding to it: only wrong credentials count.
      check: (request) => signIn(request, false),
      failed: (request) => signIn(request).catch(() => undefined),
    },
  };
}

const messages: Record<LimitName, string> = {
  ingest_address: 'too many requests from this address; retry after the time given in Retry-After',
  ingest_session: 'too many requests for this session; retry after the time given in Retry-After',
  sign_in: 'too many wrong instructor credentials from this address; retry after the time given in Retry-After',
};

/** A batch comes from one page, whose session token is its first event's. */
function sessionOf(body: unknown): string {
  const first = (body as { events?: unknown[] }).events?.[0] ?? body;
  return (first as { sessionToken?: string }).sessionToken ?? '';
}
