// sdk-capture.js, the script-tag build's autocapture, after sdk.js:
//   <script src="https://<server>/sdk-capture.js" data-errors data-fetch></script>
// data-errors logs uncaught errors and unhandled rejections, data-fetch the page's fetch
// calls, never the SDK's own: those go to the endpoint of the sdk.js tag (its
// data-endpoint, else its origin's /api/session-log), which is what this file skips.
import type { logApiCall, logError } from './api.js';
import { captureErrors, captureFetch } from './autocapture.js';

const tag = document.currentScript as HTMLScriptElement;
const sdkTag = [...document.scripts].find((script) => /\/sdk\.js([?#]|$)/.test(script.src)) ?? tag;
const sdk = (window as unknown as { sessionLog?: { logError: typeof logError; logApiCall: typeof logApiCall } }).sessionLog;
if (sdk) {
  const ownEndpoint = sdkTag.dataset.endpoint ?? new URL('/api/session-log', sdkTag.src).href;
  if (tag.dataset.errors !== undefined) captureErrors(sdk.logError);
  if (tag.dataset.fetch !== undefined) captureFetch(sdk.logApiCall, () => ownEndpoint);
} else {
  console.warn('[session-log] sdk-capture.js needs sdk.js before it');
}
