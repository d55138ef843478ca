// The script-tag build: <script src="https://<server>/sdk.js" data-session-log …></script>
// defines the spec's six functions globally (so the spec's examples run unchanged) and
// `window.sessionLog` for the rest. The tag's data-* attributes are init()'s defaults;
// with `data-session-log` the SDK starts at once, without it on sessionLog.init({…}).
// Autocapture, when asked for, comes as a second file (sdk-capture.js) to keep this small.
import * as api from './api.js';

const script = document.currentScript as HTMLScriptElement;
const { endpoint, sessionToken, studentEmail, studentName, steps, captureErrors, captureFetch, sessionLog } = script.dataset;
const own = (path: string) => new URL(path, script.src).href;

api.configureInit(
  {
    endpoint: endpoint ?? own('/api/session-log'),
    sessionToken,
    studentEmail,
    studentName,
    steps: steps?.split(','),
    captureErrors: captureErrors !== undefined,
    captureFetch: captureFetch !== undefined,
  },
  (options) => {
    if (options.captureErrors || options.captureFetch) {
      const capture = document.createElement('script');
      capture.src = own('sdk-capture.js');
      capture.dataset.errors = String(!!options.captureErrors);
      capture.dataset.fetch = String(!!options.captureFetch);
      capture.dataset.endpoint = options.endpoint;
      document.head.append(capture);
    }
  },
);
if (sessionLog !== undefined) api.init();

Object.assign(window, api, { sessionLog: api });
