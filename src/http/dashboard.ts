import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/**
 * Scripts, styles and data only from this origin; nothing inline, no framing. Event data
 * is rendered as text by the dashboard: this is the second line of defence.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/** The dashboard's built files (packages/dashboard), served at / by this service. */
export function dashboardRoot(): string {
  return path.dirname(fileURLToPath(import.meta.resolve('@session-log/dashboard/index.html')));
}

/** GET / is the dashboard; its hashed assets are cached for good, the page itself revalidated. */
export async function registerDashboard(app: FastifyInstance, root: string): Promise<void> {
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    wildcard: false,
    index: 'index.html',
    setHeaders: (reply, file) => {
      reply
        .header('content-security-policy', CONTENT_SECURITY_POLICY)
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer')
        .header('cache-control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
}
