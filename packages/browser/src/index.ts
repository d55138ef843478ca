// The ES module: `import { init, logNavigation } from '@session-log/browser'`.
import { init as start, logApiCall, logError } from './api.js';
import { captureErrors, captureFetch } from './autocapture.js';
import { settings, type InitOptions } from './logger.js';

export * from './api.js';
export type { InitOptions } from './logger.js';

/**
 * Starts logging for this page (see the script-tag build's init); the first call also
 * switches on the autocapture its options ask for.
 *
 * @example
 * init({ steps: ['Connect Accounts', 'Choose Use Case'], currentStep: () => state.step, captureErrors: true });
 */
export function init(options: InitOptions = {}): void {
  const first = settings === undefined;
  start(options);
  if (first && options.captureErrors) captureErrors(logError);
  if (first && options.captureFetch) captureFetch(logApiCall);
}
