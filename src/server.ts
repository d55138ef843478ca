import { setTimeout as sleep } from 'node:timers/promises';
import { buildApp } from './app.js';
import { sdkScripts } from './routes/sdk.js';
import { resolveAdminToken } from './admin-token.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createStore } from './storage/index.js';
import { StoreUnavailableError, type EventStore } from './storage/types.js';

/** How long a shutdown waits for requests still arriving before it cuts them. */
const SHUTDOWN_GRACE_MS = 10_000;

/** The process: config, store, app, listen, migrate, drain on SIGTERM. */
async function main(): Promise<void> {
  const config = readConfig();
  const admin = configured(() => resolveAdminToken(config.adminToken, config.dataDir));
  const store = createStore(config.databaseUrl, {
    onIdleClientError: (error) => app.log.warn({ err: error }, 'idle database connection failed'),
  });
  let ready = false;
  const sdk = sdkScripts();
  const app = await buildApp({
    sdk,
    store,
    adminToken: admin.token,
    corsOrigins: config.corsOrigins,
    statusRules: config.statusRules,
    trustProxy: config.trustProxy,
    live: { maxSubscribers: config.liveMaxConnections },
    alerts: { publicUrl: config.publicUrl },
    webhooks: { allowPrivate: config.allowPrivateWebhooks },
    retention: { days: config.retentionDays },
    rateLimits: config.rateLimits,
    metricsToken: config.metricsToken,
    isReady: () => ready,
    logger: {
      level: config.logLevel,
      redact: ['req.headers.authorization', 'req.headers.cookie'],
      serializers: { req: (req) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }), err: loggedError },
    },
  });
  onShutdown(async () => {
    // Keep-alive connections that finish their last request while we drain would hold
    // the close open until they time out: close each one as soon as it is idle. A request
    // still arriving after the grace (a client that stalls mid-body) is cut: it was never
    // acknowledged, and its sender retries.
    const closeIdle = setInterval(() => app.server.closeIdleConnections(), 50);
    const cutStalled = setTimeout(() => app.server.closeAllConnections(), SHUTDOWN_GRACE_MS);
    await app.close();
    clearInterval(closeIdle);
    clearTimeout(cutStalled);
    await store.close();
  });

  await app.listen({ port: config.port, host: config.host }).catch((error: unknown) => {
    throw new Error(`HOST, PORT: cannot listen on ${config.host}:${config.port}: ${error instanceof Error ? error.message : String(error)}`);
  });
  if (admin.generated) {
    process.stdout.write(`\nInstructor token (kept in ${admin.file ?? ''}; shown once): ${admin.token}\n\n`);
  }
  await migrateUntilDone(store, (error) => app.log.warn({ err: error }, 'database not ready; retrying'));
  ready = true;
  app.log.info({ engine: config.databaseUrl.split(':')[0] }, 'ready to take events');
  for (const script of sdk) app.log.info({ path: script.path, integrity: script.integrity }, 'browser SDK served');
}

/**
 * An error as logged: what it is and where, never the values it was about (PostgreSQL's
 * detail names the row's values, a student's email among them).
 */
function loggedError(error: Error & { code?: unknown }) {
  return { type: error.name, message: error.message, code: error.code, stack: error.stack ?? '' };
}

const readConfig = (): Config => configured(() => loadConfig(process.env));

/** `read`'s result; a ConfigError stops the start with its one line. */
function configured<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`session-log: ${error.message}\n`);
    process.exit(1);
  }
}

/** The database may come up after us (a container, a restart): keep trying. */
async function migrateUntilDone(store: EventStore, onRetry: (error: unknown) => void): Promise<void> {
  for (let delay = 250; ; delay = Math.min(delay * 2, 5000)) {
    try {
      return await store.migrate();
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      onRetry(error);
      await sleep(delay);
    }
  }
}

function onShutdown(close: () => Promise<void>): void {
  let closing = false;
  const stop = () => {
    // A second signal: the operator will not wait for the drain.
    if (closing) {
      process.stderr.write('session-log: second signal, exiting without draining\n');
      process.exit(1);
    }
    closing = true;
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`session-log: shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`session-log: cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
