import type { Database, Statement } from 'better-sqlite3';
import { BoundedCache } from '../sql/bounded-cache.js';
import { navigationStep } from '../../schemas/navigation-step.js';
import type { CurrentStay } from '../types.js';

/** One stored event, as session_activity needs it. */
export interface StoredFact {
  eventId: number;
  sessionToken: string;
  eventType: string;
  eventData: Record<string, unknown>;
}

interface SessionGroup {
  count: number;
  errorId: number | null;
  helpId: number | null;
  stay: CurrentStay | null;
  changed: boolean;
}

/**
 * Keeps session_activity and step_stays for the SQLite writer, in its transaction: per
 * session of a group, one upsert (counts, latest error and help request, current step)
 * and one row per step left. PostgreSQL does the same in a trigger (migration 004).
 * A navigation to the step the session is already on (a page reload) is not a new stay.
 */
export class SqliteSessionActivity {
  private readonly touch: Statement<[string, string, string, number, string | null, string | null, string | null, number | null, number | null, number | null]>;
  private readonly selectStay: Statement<[string], CurrentStay>;
  private readonly insertStay: Statement<[string, string | null, string | null, string, number, string | null]>;
  private readonly stays = new BoundedCache<string, CurrentStay>();

  constructor(db: Database) {
    // Positional parameters: binding by name looks each one up on an object.
    this.touch = db.prepare(`
      INSERT INTO session_activity (session_token, first_seen, last_seen, event_count, step, step_name, on_step_since, step_event_id, last_error_id, last_help_id)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (session_token) DO UPDATE SET
        last_seen = excluded.last_seen,
        event_count = event_count + excluded.event_count,
        step = iif(excluded.step_event_id IS NULL, step, excluded.step),
        step_name = iif(excluded.step_event_id IS NULL, step_name, excluded.step_name),
        on_step_since = iif(excluded.step_event_id IS NULL, on_step_since, excluded.on_step_since),
        step_event_id = coalesce(excluded.step_event_id, step_event_id),
        last_error_id = coalesce(excluded.last_error_id, last_error_id),
        last_help_id = coalesce(excluded.last_help_id, last_help_id)`);
    this.selectStay = db.prepare(`
      SELECT step, step_name AS stepName, on_step_since AS since, step_event_id AS eventId
      FROM session_activity WHERE session_token = ? AND step_event_id IS NOT NULL`);
    this.insertStay = db.prepare('INSERT INTO step_stays (session_token, step, step_name, arrived_at, seconds, next_step) VALUES (?, ?, ?, ?, ?, ?)');
  }

  /** Records `stored` (in id order), all stored at `at`; returns the stays to remember once committed. */
  record(stored: readonly StoredFact[], at: string): Map<string, CurrentStay> {
    const learned = new Map<string, CurrentStay>();
    for (const [token, group] of this.group(stored, at)) {
      const stay = group.changed ? group.stay : null;
      if (stay !== null) learned.set(token, stay);
      this.touch.run(token, at, at, group.count, stay?.step ?? null, stay?.stepName ?? null, stay?.since ?? null, stay?.eventId ?? null, group.errorId, group.helpId);
    }
    return learned;
  }

  remember(learned: ReadonlyMap<string, CurrentStay>): void {
    this.stays.remember(learned);
  }

  forget(): void {
    this.stays.clear();
  }

  private group(stored: readonly StoredFact[], at: string): Map<string, SessionGroup> {
    const groups = new Map<string, SessionGroup>();
    for (const event of stored) {
      let group = groups.get(event.sessionToken);
      if (group === undefined) {
        group = { count: 0, errorId: null, helpId: null, stay: null, changed: false };
        groups.set(event.sessionToken, group);
      }
      group.count += 1;
      if (event.eventType === 'error') group.errorId = event.eventId;
      else if (event.eventType === 'help_request') group.helpId = event.eventId;
      else if (event.eventType === 'navigation') this.arrive(event, group, at);
    }
    return groups;
  }

  private arrive(event: StoredFact, group: SessionGroup, at: string): void {
    const current = group.changed ? group.stay : this.currentStay(event.sessionToken);
    const { step, stepName } = navigationStep(event.eventData);
    if (current !== null && current.step === step) return;
    if (current !== null) {
      this.insertStay.run(event.sessionToken, current.step, current.stepName, current.since, (Date.parse(at) - Date.parse(current.since)) / 1000, step);
    }
    group.stay = { step, stepName, since: at, eventId: event.eventId };
    group.changed = true;
  }

  private currentStay(token: string): CurrentStay | null {
    return this.stays.get(token) ?? this.selectStay.get(token) ?? null;
  }
}
