// sdk-capture.js, the script-tag build's autocapture, after sdk.js:
//   <script src="https://<server>/sdk-capture.js" data-errors data-fetch></script>
// data-errors logs uncaught errors and unhandled rejections, data-fetch the page's fetch
// calls (never the SDK's own, which sdk.js sends with the fetch of before this file).
import type { logApiCall, logError } from './api.js';
import { captureErrors, captureFetch } from './autocapture.js';

const tag = document.currentScript as HTMLScriptElement;
// sdk.js is there when its own `sessionLog` is (a page may have a logError of its own);
// it defines the spec's functions as globals beside it.
const sdk = window as unknown as { sessionLog?: object; logError: typeof logError; logApiCall: typeof logApiCall };
if (sdk.sessionLog) {
  if (tag.dataset.errors !== undefined) captureErrors(sdk.logError);
  if (tag.dataset.fetch !== undefined) captureFetch(sdk.logApiCall);
} else {
  console.warn('[session-log] sdk-capture.js needs sdk.js before it');
}
