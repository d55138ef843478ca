// The script-tag build: <script src="https://<server>/sdk.js" data-session-log …></script>
// starts logging from the tag's data-* attributes, defines the spec's six functions
// globally (so the spec's examples run unchanged) and `window.sessionLog` for the rest.
// Autocapture is a second file, sdk-capture.js, for the pages that want it.
import {
  flush,
  getSessionToken,
  identify,
  init,
  logAction,
  logApiCall,
  logError,
  logNavigation,
  logSessionEvent,
  logStateChange,
  requestHelp,
} from './api.js';

const { dataset, src } = document.currentScript as HTMLScriptElement;
const spec = { logSessionEvent, logNavigation, logError, logAction, logApiCall, logStateChange };

// data-session-token, data-student-email, data-student-name arrive as sessionToken, studentEmail, studentName.
init({ ...dataset, endpoint: dataset.endpoint ?? new URL('/api/session-log', src).href, steps: dataset.steps?.split(',') });
Object.assign(window, spec, { sessionLog: { init, identify, requestHelp, getSessionToken, flush } });
