// sdk-capture.js, the script-tag build's autocapture, after sdk.js:
//   <script src="https://<server>/sdk-capture.js" data-errors data-fetch></script>
// data-errors logs uncaught errors and unhandled rejections, data-fetch the page's fetch
// calls (never the SDK's own, sent to sdk.js's endpoint or data-endpoint here).
import type { logApiCall, logError } from './api.js';
import { captureErrors, captureFetch } from './autocapture.js';

const tag = document.currentScript as HTMLScriptElement;
const sdk = (window as unknown as { sessionLog?: { logError: typeof logError; logApiCall: typeof logApiCall } }).sessionLog;
if (sdk) {
  const { errors, fetch: fetches, endpoint } = tag.dataset;
  if (errors !== undefined) captureErrors(sdk.logError);
  if (fetches !== undefined) captureFetch(sdk.logApiCall, endpoint ?? new URL('/api/session-log', tag.src).href);
} else {
  console.warn('[session-log] sdk-capture.js needs sdk.js before it');
}
