import type { NewEvent } from '../types.js';

/** The students and session links a group of events needs before it can be inserted. */
export interface StudentPlan {
  /** email → name (the latest non-null name given in the group). */
  students: Map<string, string | null>;
  /** The group's distinct session tokens. */
  tokens: string[];
}

export function planStudents(events: readonly NewEvent[]): StudentPlan {
  const students = new Map<string, string | null>();
  for (const event of events) {
    if (event.studentEmail === undefined) continue;
    students.set(event.studentEmail, event.studentName ?? students.get(event.studentEmail) ?? null);
  }
  return { students, tokens: [...new Set(events.map((e) => e.sessionToken))] };
}

/**
 * Gives each event its student: its own email's, else the one its session was last
 * identified with (before it in the group, else in the database). Returns the
 * session links that changed.
 */
export function assignStudents(
  events: readonly NewEvent[],
  studentIds: ReadonlyMap<string, number>,
  sessionLinks: Map<string, number>,
): { studentOf: Array<number | null>; changedLinks: Map<string, number> } {
  const changedLinks = new Map<string, number>();
  const studentOf = events.map((event) => {
    const own = event.studentEmail === undefined ? undefined : studentIds.get(event.studentEmail);
    if (own === undefined) return sessionLinks.get(event.sessionToken) ?? null;
    if (sessionLinks.get(event.sessionToken) !== own) {
      sessionLinks.set(event.sessionToken, own);
      changedLinks.set(event.sessionToken, own);
    }
    return own;
  });
  return { studentOf, changedLinks };
}
