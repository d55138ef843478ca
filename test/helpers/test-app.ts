import type { FastifyRequest } from 'fastify';
import { buildApp, type AppOptions } from '../../src/app.js';
import { createStore } from '../../src/storage/index.js';
import type { EventStore, StoredEvent } from '../../src/storage/types.js';
import type { TestDatabase } from './engines.js';
import { TcpProxy } from './tcp-proxy.js';

export const ADMIN_TOKEN = 'test-instructor-token-0123456789';

/** The service on a real store, listening on loopback: talk to it with fetch. */
export interface RunningApp {
  url: string;
  store: EventStore;
  /** POST a JSON body to the ingest route. */
  post(body: unknown, headers?: Record<string, string>): Promise<Response>;
  /** How many POST requests the ingest route has received so far. */
  ingestRequests(): number;
  /** The Host header of each of those requests, in order: where the sender sent it. */
  ingestHosts(): string[];
  /** The bodies of those requests that passed validation, as JSON text: what left the sender. */
  ingestBodies(): string[];
  /** The statuses the ingest route answered, in order. */
  ingestStatuses(): number[];
  /** GET the query route with the instructor token. */
  get(query: string, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

export async function startApp(
  database: TestDatabase,
  options: Partial<AppOptions> = {},
): Promise<RunningApp> {
  const store = options.store ?? (await database.openStore());
  // Tests write histories months old: the default retention would remove them a minute into a long suite.
  const app = await buildApp({ store, adminToken: ADMIN_TOKEN, corsOrigins: '*', retention: { days: 0 }, ...options });
  const ingestHosts: string[] = [];
  const ingestBodies: string[] = [];
  const isIngest = (request: FastifyRequest) => request.method === 'POST' && request.url === '/api/session-log';
  app.addHook('onRequest', async (request) => {
    if (isIngest(request)) ingestHosts.push(request.headers.host ?? '');
  });
  app.addHook('preHandler', async (request) => {
    if (isIngest(request)) ingestBodies.push(JSON.stringify(request.body));
  });
  const ingestStatuses: number[] = [];
  app.addHook('onSend', async (request, reply) => {
    if (isIngest(request)) ingestStatuses.push(reply.statusCode);
  });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `${address}/api/session-log`;
  return {
    url: address,
    store,
    post: (body, headers = {}) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    ingestRequests: () => ingestHosts.length,
    ingestHosts: () => [...ingestHosts],
    ingestBodies: () => [...ingestBodies],
    ingestStatuses: () => [...ingestStatuses],
    get: (query, headers = {}) =>
      fetch(`${url}${query === '' ? '' : `?${query}`}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...headers } }),
    async close() {
      await app.close();
      await store.close();
    },
  };
}

export interface EventsPage {
  success: boolean;
  count: number;
  hasMore: boolean;
  nextCursor: string | null;
  events: StoredEvent[];
}

export async function readPage(response: Response): Promise<EventsPage> {
  if (response.status !== 200) throw new Error(`expected 200, got ${response.status}: ${await response.text()}`);
  return (await response.json()) as EventsPage;
}

/**
 * The service on a PostgreSQL `database` reached through a TcpProxy, to take the database
 * away and bring it back; short timeouts, so that an outage is seen within a second.
 */
export async function startAppBehindProxy(database: TestDatabase): Promise<{ app: RunningApp; proxy: TcpProxy }> {
  const target = new URL(database.url);
  const proxy = await TcpProxy.start(target.hostname, Number(target.port || 5432));
  target.port = String(proxy.port);
  const store = createStore(target.toString(), { connectTimeoutMs: 500, queryTimeoutMs: 1000 });
  await store.migrate();
  return { app: await startApp(database, { store }), proxy };
}

/** Signs in to the dashboard API with `token` (sending `headers` too); the session cookie as a Cookie header value. */
export async function signIn(baseUrl: string, token = ADMIN_TOKEN, headers: Record<string, string> = {}): Promise<{ response: Response; cookie: string }> {
  const response = await fetch(`${baseUrl}/api/auth/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ token }),
  });
  return { response, cookie: (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '' };
}

/** Signs the dashboard session `cookie` out. */
export function signOut(baseUrl: string, cookie: string): Promise<Response> {
  return fetch(`${baseUrl}/api/auth/session`, { method: 'DELETE', headers: { cookie } });
}
