// Optional autocapture, built on the public API only, so that the script-tag build can
// load it as a separate file when a page asks for it.
import type { logApiCall, logError } from './api.js';

/** Uncaught errors and unhandled promise rejections, as `error` events. */
export function captureErrors(log: typeof logError): void {
  addEventListener('error', (event) =>
    log('uncaught_error', event.message, {
      source: `${event.filename}:${event.lineno}:${event.colno}`,
      stack: (event.error as Error | undefined)?.stack,
    }),
  );
  addEventListener('unhandledrejection', (event) => {
    const reason = event.reason as Error | undefined;
    log('unhandled_rejection', String(reason?.message ?? reason), { stack: reason?.stack });
  });
}

/**
 * The page's fetch calls, as `api_call` events: the URL without its query string (which
 * may carry keys), method, status (0 when the request failed) and duration. Never
 * bodies or headers; never the SDK's own requests either, which use the fetch of before.
 */
export function captureFetch(log: typeof logApiCall): void {
  const original = fetch;
  window.fetch = async (input, init) => {
    const started = performance.now();
    let status = 0;
    try {
      const response = await original(input, init);
      status = response.status;
      return response;
    } finally {
      try {
        const url = new URL(input instanceof Request ? input.url : String(input), location.href);
        const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
        log(url.origin + url.pathname, method, status, { durationMs: Math.round(performance.now() - started) });
      } catch {
        // A URL fetch itself refused: nothing to describe.
      }
    }
  };
}
