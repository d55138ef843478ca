// The ES module: `import { init, logNavigation } from '@session-log/browser'`.
import { configureInit, logApiCall, logError } from './api.js';
import { captureErrors, captureFetch } from './autocapture.js';

export * from './api.js';
export type { InitOptions } from './logger.js';

configureInit({}, (options) => {
  if (options.captureErrors) captureErrors(logError);
  if (options.captureFetch) captureFetch(logApiCall, options.endpoint ?? '/api/session-log');
});
