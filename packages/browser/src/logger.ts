// The page's logger: adds the step context to each event, scrubs it and hands it to the
// outbox. Nothing here throws into the page; problems are warned about once.
import { enqueue, openOutbox, type OutboxOptions } from './outbox.js';
import { scrubField } from './scrub.js';
import { loadSession, saveSession, random, type Session } from './session.js';
import { warn } from './warn.js';

export interface InitOptions extends OutboxOptions {
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
}

/** Text the service accepts: 1 to `max` characters, no control characters, no lone surrogate. */
const plain = (max: number) => new RegExp(`^[^\\0-\\x1f\\ud800-\\udfff]{1,${max}}$`, 'u');
const EVENT_TYPE = plain(50);
const TOKEN = plain(256);
const NAME = plain(200);
/** The service's email format (ajv-formats' "email"), but for domain labels that start or end with "-". */
const EMAIL = /^[\w+-]+(\.[\w+-]+)*@([a-z\d-]+\.)+[a-z]+$/i;

/** The options in force; undefined until started. */
export let settings: InitOptions | undefined;
let session: Session;
let lastStep: unknown;

export function start(options: InitOptions): void {
  settings = options;
  const token = options.sessionToken;
  // The page's own token if it has one the service accepts; else (warned) a new one.
  // Kept as the text the check read (a page may pass a number): the service takes only text.
  session = loadSession(token === undefined ? token : TOKEN.test(token) ? `${token}` : warn('bad sessionToken'));
  openOutbox(options, (count) => log('events_dropped', { count }));
  identify(options.studentEmail, options.studentName);
}

/** The name of step `step` (an index, as a number or its digits), if the page listed it. */
const stepName = (step: unknown) => settings?.steps?.[step as number];

/**
 * Event data as the service stores it: plain JSON (a copy: the page may change its
 * objects later) without secrets. What the service would still refuse (over 64 KB, or
 * nested over 32 levels) is set apart by the outbox and dropped alone.
 */
function toData(data: object): Record<string, unknown> {
  const json = JSON.stringify(data, scrubField);
  // The service refuses NUL characters and unpaired surrogates; JSON.stringify escapes both.
  return JSON.parse(json.replace(/\\u0000|\\ud[89a-f]\w\w/gi, '\\ufffd')) as Record<string, unknown>;
}

/**
 * Logs an event, starting the logger with the default options if need be; `more` (the
 * details of the spec's helpers) is read here too, where nothing it throws escapes.
 */
export function log(eventType: unknown, data?: unknown, more?: object): void {
  try {
    ready();
    if (typeof eventType !== 'string' || !EVENT_TYPE.test(eventType)) return warn('bad eventType');
    // Anything but an object is kept under `value` (undefined then vanishes from the JSON).
    const fields = typeof data === 'object' ? data : { value: data };
    let currentStep: unknown;
    try {
      currentStep = settings?.currentStep?.();
    } catch {
      // The page's step reader failed (not ready yet?): the event goes without it.
    }
    currentStep ??= lastStep;
    const eventData = toData({ currentStep, stepName: stepName(currentStep), userAgent: navigator.userAgent, timestamp: new Date(), ...fields, ...more });
    enqueue({ ...session, eventType, eventData, eventId: random(), seq: session.seq++ });
    saveSession(session);
  } catch (error) {
    // JSON.stringify's errors (a cycle, a BigInt) say what is wrong with the data.
    warn(error);
  }
}

/** The spec's navigation event; `to` is the current step from now on (unless the page reads it itself). */
export function navigate(from: unknown, to: unknown): void {
  lastStep = to;
  log('navigation', { from, to, fromStepName: stepName(from), toStepName: stepName(to) });
}

/** Attaches the student to this and later events; a value the service would refuse is ignored. */
export function identify(email?: unknown, name?: unknown): void {
  if (email !== undefined) {
    if (EMAIL.test(email as string)) session.studentEmail = `${email as string}`;
    else warn('bad email');
  }
  if (typeof name === 'string' && NAME.test(name)) session.studentName = name;
  saveSession(session);
}

/** Starts with the default options unless started already. */
export const ready = () => settings || start({});

export const sessionToken = () => (ready(), session.sessionToken);
