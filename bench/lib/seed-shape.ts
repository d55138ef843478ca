import { ACTIONS, ENDPOINTS, ERRORS, FAILED_STATUSES, STEP_NAMES } from './events.js';

/**
 * The shape of seeded rows, shared by both engines' SQL: 500 students with one session
 * each; event n goes to session hash(n) % 500; 30% api_call (5% of those with status
 * >= 400), 30% navigation, 30% action, 10% error; created_at 5 ms after event n-1.
 * Row n's content is a function of n alone, so both engines hold the same events.
 */
export const SEED_SESSIONS = 500;

/** Rows per INSERT … SELECT statement. */
export const SEED_CHUNK = 250_000;

export const seedSessionToken = (k: number) => `ws_seed_${String(k).padStart(3, '0')}`;

/** Seconds since the epoch of event 0. */
export const SEED_EPOCH_S = Date.parse('2025-10-27T09:00:00Z') / 1000;

/** The lists the seeding SQL picks from, bound as parameters (JSON text on SQLite, arrays on PostgreSQL). */
export const SEED_LISTS = {
  steps: STEP_NAMES,
  actions: ACTIONS,
  endpoints: ENDPOINTS,
  errorTypes: ERRORS.map(([type]) => type),
  errorMessages: ERRORS.map(([, message]) => message),
  statuses: FAILED_STATUSES,
};
