// sdk-capture.js: autocapture for the script-tag build, loaded by sdk.js when the page
// asks for it, and wired to the functions sdk.js defined.
import type * as api from './api.js';
import { captureErrors, captureFetch } from './autocapture.js';

const { dataset } = document.currentScript as HTMLScriptElement;
const { logError, logApiCall } = (window as unknown as { sessionLog: typeof api }).sessionLog;
if (dataset.errors === 'true') captureErrors(logError);
if (dataset.fetch === 'true') captureFetch(logApiCall, dataset.endpoint as string);
