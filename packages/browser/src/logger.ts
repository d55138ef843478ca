// The page's logger: adds the step context to each event, scrubs it and hands it to the
// outbox. Nothing here throws into the page; problems are warned about once.
import { enqueue, openOutbox } from './outbox.js';
import { scrub } from './scrub.js';
import { loadSession, saveSession, uuid, type Session } from './session.js';
import { warn } from './warn.js';

export interface InitOptions {
  /** Where to POST events; default `/api/session-log` on the page's origin. */
  endpoint?: string | undefined;
  /** The page's own session token; by default one is created and kept for the tab's life. */
  sessionToken?: string | undefined;
  studentEmail?: string | undefined;
  studentName?: string | undefined;
  /** Step names by index, for `stepName`, `fromStepName` and `toStepName`. */
  steps?: readonly string[] | undefined;
  /** Reads the current step; by default the `to` of the last logNavigation. */
  currentStep?: (() => number | undefined) | undefined;
  /** Log uncaught errors and unhandled promise rejections as `error` events. */
  captureErrors?: boolean | undefined;
  /** Log the page's fetch calls as `api_call` events (URL without query, method, status, duration). */
  captureFetch?: boolean | undefined;
  /** Send 1 s after the first queued event (default)… */
  flushDelayMs?: number | undefined;
  /** …or at once when 50 are queued (default). */
  batchSize?: number | undefined;
  /** Keep at most 1000 unsent events (default); past that the oldest are dropped. */
  maxQueued?: number | undefined;
}

/** Under the service's 64 KB, with room for escapes and markers. */
const MAX_DATA_BYTES = 6e4;
/** Subsets of what the service accepts (its email format is ajv-formats' "email"). */
/* eslint-disable no-control-regex -- the service refuses control characters in these */
const EVENT_TYPE = /^[^\0-\x1f]{1,50}$/;
const TOKEN = /^[^\0-\x1f]{1,256}$/;
const EMAIL = /^[\w.+-]+@[a-z\d]+([.-][a-z\d]+)*$/i;
const CONTROL = /[\0-\x1f]/g;
/* eslint-enable no-control-regex */

export let endpoint: string;
let settings: InitOptions;
let session: Session;
let lastStep: unknown;

export function start(options: InitOptions): void {
  settings = options;
  endpoint = options.endpoint ?? '/api/session-log';
  const token = options.sessionToken;
  if (token !== undefined && !TOKEN.test(token)) warn('bad sessionToken');
  session = loadSession(token && TOKEN.test(token) ? token : undefined);
  const { flushDelayMs = 1000, batchSize = 50, maxQueued = 1000 } = options;
  openOutbox({ endpoint, flushDelayMs, batchSize, maxQueued }, (count) => log('events_dropped', { count }));
  identify(options.studentEmail, options.studentName);
}

export const stepName = (step: unknown) => (typeof step === 'number' ? settings.steps?.[step] : undefined);

/** Event data as the service stores it: plain JSON, no secrets, within its limits. */
function toData(data: object): object | undefined {
  const json = JSON.stringify(data);
  if (new Blob([json]).size > MAX_DATA_BYTES) return void warn('event over 60 KB dropped');
  // The service refuses NUL characters and unpaired surrogates; JSON.stringify escapes both.
  return scrub(JSON.parse(json.replace(/\\u0000|\\ud[89a-f]\w\w/gi, '\\ufffd'))) as object;
}

export function log(eventType: unknown, data?: unknown): void {
  try {
    if (typeof eventType !== 'string' || !EVENT_TYPE.test(eventType)) return warn('bad eventType');
    const fields = data !== null && typeof data === 'object' && !Array.isArray(data) ? data : data === undefined ? {} : { value: data };
    const currentStep = settings.currentStep?.() ?? lastStep;
    const eventData = toData({ currentStep, stepName: stepName(currentStep), userAgent: navigator.userAgent, timestamp: new Date(), ...fields });
    if (eventData) {
      const { t: sessionToken, e: studentEmail, n: studentName } = session;
      enqueue({ sessionToken, studentEmail, studentName, eventType, eventData: eventData as Record<string, unknown>, eventId: uuid(), seq: session.s++ });
      saveSession(session);
    }
  } catch (error) {
    warn(`event dropped: ${String(error)}`);
  }
}

export function setStep(step: unknown): void {
  lastStep = step;
}

/** Attaches the student to this and later events; a value the service would refuse is ignored. */
export function identify(email?: unknown, name?: unknown): void {
  if (typeof email === 'string' && EMAIL.test(email)) session.e = email;
  else if (email !== undefined) warn('bad email');
  if (typeof name === 'string') session.n = name.replace(CONTROL, ' ').slice(0, 200);
  saveSession(session);
}

export const sessionToken = () => session.t;
