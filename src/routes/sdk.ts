import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';

/** A script file served as is, with the hash a page can pin it by. */
export interface ServedScript {
  path: string;
  body: Buffer;
  /** Subresource Integrity value, e.g. "sha384-…". */
  integrity: string;
}

function loadScript(path: string, specifier: string): ServedScript {
  const body = readFileSync(fileURLToPath(import.meta.resolve(specifier)));
  return { path, body, integrity: `sha384-${createHash('sha384').update(body).digest('base64')}` };
}

/** The browser SDK as built by its package: the script-tag file and its autocapture add-on. */
export function sdkScripts(): ServedScript[] {
  return [loadScript('/sdk.js', '@session-log/browser/script'), loadScript('/sdk-capture.js', '@session-log/browser/capture-script')];
}

/**
 * Serves the SDK to any page: readable cross-origin (so `integrity` + `crossorigin`
 * work), cached for a few minutes and revalidated by its hash, since the URL carries
 * no version.
 */
export const sdkRoutes: FastifyPluginAsync<{ scripts: ServedScript[] }> = async (app, { scripts }) => {
  for (const script of scripts) {
    const etag = `"${script.integrity}"`;
    app.get(script.path, { schema: { hide: true } }, async (request, reply) => {
      reply
        .header('access-control-allow-origin', '*')
        .header('cross-origin-resource-policy', 'cross-origin')
        .header('cache-control', 'public, max-age=300')
        .header('etag', etag);
      if (request.headers['if-none-match'] === etag) return reply.code(304).send();
      return reply.type('text/javascript; charset=utf-8').send(script.body);
    });
  }
};
