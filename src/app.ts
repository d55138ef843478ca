import Fastify, { LogController, type FastifyServerOptions } from 'fastify';
import { fastifySSE } from '@fastify/sse';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ServiceUnavailableError } from './errors.js';
import { dashboardRoot, registerDashboard } from './http/dashboard.js';
import { clientErrorHandler, registerErrorHandler } from './http/error-handler.js';
import { registerIngestCors } from './http/ingest-cors.js';
import { registerJsonBodies } from './http/json-body.js';
import cookie from '@fastify/cookie';
import { cookieSecret, instructorAuth } from './http/instructor-auth.js';
import { authRoutes } from './routes/auth.js';
import { registerOpenApi } from './http/openapi.js';
import { DEFAULT_RATE_LIMITS, registerRateLimits, type RateLimits } from './http/rate-limits.js';
import { requestIdGenerator } from './http/request-id.js';
import { registerRequestLog } from './http/request-log.js';
import { validatorCompiler } from './http/validator-compiler.js';
import { registerMetrics } from './metrics/metrics-route.js';
import { ServiceMetrics } from './metrics/service-metrics.js';
import { GroupCommitter, groupCommitFor, type GroupCommitOptions } from './ingest/group-commit.js';
import { DEFAULT_ALERT_OPTIONS, type AlertOptions } from './alerts/alert-options.js';
import { alertRoutes } from './alerts/alert-routes.js';
import { analyticsRoutes } from './analytics/analytics-routes.js';
import { erasureRoutes } from './erasure/erasure-routes.js';
import { exportRoute } from './export/export-route.js';
import { DEFAULT_RETENTION, RetentionJob, type RetentionOptions } from './retention/retention-job.js';
import { retentionRoute } from './retention/retention-route.js';
import { AlertSystem } from './alerts/alert-system.js';
import { DEFAULT_WEBHOOK_OPTIONS, type WebhookOptions } from './alerts/webhook-worker.js';
import { DEFAULT_FEED_OPTIONS, LiveFeed } from './live/live-feed.js';
import { DEFAULT_LIVE_OPTIONS, LiveHub, type LiveOptions } from './live/live-hub.js';
import { liveRoutes } from './live/live-routes.js';
import { healthRoutes } from './routes/health.js';
import { sdkRoutes, sdkScripts, type ServedScript } from './routes/sdk.js';
import { sessionLogRoutes } from './routes/session-log.js';
import { sessionsRoutes } from './sessions/sessions-route.js';
import { DEFAULT_RULES, type StatusRules } from './sessions/status-rules.js';
import type { EventStore } from './storage/types.js';

export const VERSION = '0.1.0';

/** 1 MB per request: a batch of small events, or a few large ones (64 KB each at most). */
const BODY_LIMIT = 1024 * 1024;

export interface AppOptions {
  store: EventStore;
  adminToken: string;
  corsOrigins: '*' | string[];
  logger?: FastifyServerOptions['logger'];
  /** False until the schema is migrated; API routes answer 503 meanwhile. */
  isReady?: () => boolean;
  groupCommit?: GroupCommitOptions;
  /** The browser SDK files to serve; by default as built in packages/browser. */
  sdk?: ServedScript[];
  /** The dashboard's built files; by default packages/dashboard/dist. */
  dashboardRoot?: string;
  /** The class overview's status rules where they differ from the defaults. */
  statusRules?: Partial<StatusRules>;
  /** Proxies whose X-Forwarded-Proto and -For to believe (the cookie is Secure over HTTPS). */
  trustProxy?: false | string;
  /** How long a request may take to arrive whole (a client that stalls would hold shutdown open). */
  requestTimeoutMs?: number;
  /** Live streams' limits where they differ from the defaults. */
  live?: Partial<LiveOptions>;
  /** Alert evaluation and webhook delivery where they differ from the defaults. */
  alerts?: Partial<Omit<AlertOptions, 'statusRules'>>;
  webhooks?: Partial<WebhookOptions>;
  /** RETENTION_DAYS and the cleanup's pace where they differ from the defaults. */
  retention?: Partial<RetentionOptions>;
  /** Requests per minute per instance where they differ from the defaults (0: no limit). */
  rateLimits?: Partial<RateLimits>;
  /** METRICS_TOKEN: may read GET /metrics and nothing else. */
  metricsToken?: string | null;
}

/** 1 MB over a slow phone link takes seconds; a request still arriving after this is cut (408). */
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * Builds the HTTP app from its dependencies; no environment, no listen. Closing the app
 * drains the ingest queue (it does not close the store, which the caller owns).
 *
 * @example const app = await buildApp({ store, adminToken, corsOrigins: '*' }); await app.listen({ port: 3000 });
 */
export async function buildApp(options: AppOptions) {
  const isReady = options.isReady ?? (() => true);
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: BODY_LIMIT,
    trustProxy: options.trustProxy ?? false,
    genReqId: requestIdGenerator(options.trustProxy ?? false),
    requestTimeout: options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS,
    // A session token is up to 256 characters, which a path carries percent-encoded (up to 12 per character).
    routerOptions: { maxParamLength: 4096 },
    // Per-request lines would dominate an ingest endpoint's cost; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    // So would a child logger per request (15% of the ingest path's requests per second,
    // measured): requests log through the app's logger, and name themselves (reqId).
    childLoggerFactory: (logger) => logger,
    clientErrorHandler,
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(validatorCompiler());
  registerJsonBodies(app);
  registerErrorHandler(app);
  registerRequestLog(app);
  await registerIngestCors(app, options.corsOrigins);
  await registerOpenApi(app, VERSION);

  const metrics = new ServiceMetrics();
  const committer = new GroupCommitter(options.store, options.groupCommit ?? groupCommitFor(options.store), {
    ...metrics.commits,
    committed: (events, seconds) => {
      metrics.commits.committed(events, seconds);
      options.store.changes.announce('events');
    },
  });
  app.addHook('onClose', () => committer.drain());
  const feed = new LiveFeed(options.store, DEFAULT_FEED_OPTIONS, (error) => app.log.warn({ err: error }, 'live feed: reading new events failed'));
  const hub = new LiveHub(options.store, feed, { ...DEFAULT_LIVE_OPTIONS, ...options.live }, (error) =>
    app.log.warn({ err: error }, 'live stream: a subscription failed'),
  );
  metrics.watch({ queuedEvents: () => committer.queuedEventCount, liveConnections: () => hub.connectionCount, poolUse: () => options.store.poolUse() });
  // Long-lived streams would hold the close open: they end, saying so, and clients resume elsewhere.
  app.addHook('preClose', async () => hub.closeAll());
  const statusRules = { ...DEFAULT_RULES, ...options.statusRules };
  const alerts = new AlertSystem(
    options.store,
    feed,
    { alerts: { ...DEFAULT_ALERT_OPTIONS, statusRules, ...options.alerts }, webhooks: { ...DEFAULT_WEBHOOK_OPTIONS, ...options.webhooks } },
    {
      isReady,
      onError: (error) => app.log.warn({ err: error }, 'alerts: evaluation or delivery failed'),
      onFired: () => metrics.alertFired(),
      onDelivery: (outcome) => metrics.delivery(outcome),
    },
  );
  app.addHook('onReady', async () => alerts.start());
  app.addHook('onClose', () => alerts.stop());
  const retention = new RetentionJob(options.store, { ...DEFAULT_RETENTION, ...options.retention }, isReady, (error) =>
    app.log.warn({ err: error }, 'retention: removing old events failed'),
  );
  app.addHook('onReady', async () => retention.start());
  app.addHook('onClose', () => retention.stop());
  app.addHook('onRequest', async (request) => {
    if (request.url.startsWith('/api/') && !isReady()) throw new ServiceUnavailableError('the database is being migrated', 2);
  });

  await app.register(healthRoutes, { store: options.store, isReady, isRefusingWrites: () => committer.refusing() });
  await app.register(sdkRoutes, { scripts: options.sdk ?? sdkScripts() });
  await registerDashboard(app, options.dashboardRoot ?? dashboardRoot());
  await app.register(cookie, { secret: cookieSecret(options.adminToken) });
  const limits = await registerRateLimits(app, { ...DEFAULT_RATE_LIMITS, ...options.rateLimits }, (limit) => metrics.rateLimited(limit));
  const auth = instructorAuth(options.adminToken, options.store, limits.signIn);
  registerMetrics(app, metrics, { metricsToken: options.metricsToken ?? null, requireInstructor: auth.require });
  await app.register(authRoutes, { auth });
  await app.register(sessionLogRoutes, { store: options.store, committer, requireInstructor: auth.require, limits });
  await app.register(fastifySSE, { heartbeatInterval: hub.options.heartbeatMs });
  await app.register(liveRoutes, { hub, requireInstructor: auth.require });
  await app.register(sessionsRoutes, { store: options.store, requireInstructor: auth.require, rules: statusRules });
  await app.register(exportRoute, { store: options.store, requireInstructor: auth.require });
  await app.register(erasureRoutes, { store: options.store, requireInstructor: auth.require, credentialOf: auth.credentialOf });
  await app.register(retentionRoute, { job: retention, requireInstructor: auth.require });
  await app.register(analyticsRoutes, { store: options.store, requireInstructor: auth.require, rules: statusRules });
  await app.register(alertRoutes, {
    store: options.store.alerts,
    system: alerts,
    requireInstructor: auth.require,
    allowPrivateWebhooks: options.webhooks?.allowPrivate ?? false,
    hub,
  });
  return app;
}
