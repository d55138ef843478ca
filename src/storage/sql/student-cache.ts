/** A student as this process last wrote or read it. */
export interface KnownStudent {
  id: number;
  name: string | null;
}

/** Entries kept; past this the cache starts over (a class has hundreds of students). */
const LIMIT = 50_000;

/**
 * email → student, so that a group of events from known students needs no student
 * writes. Only an optimisation: a miss, or a cleared cache, falls back to an upsert.
 */
export class StudentCache {
  private readonly students = new Map<string, KnownStudent>();

  /** The cached student, unless unknown or the group brings a new name for them. */
  current(email: string, name: string | null): KnownStudent | undefined {
    const known = this.students.get(email);
    return known !== undefined && (name === null || name === known.name) ? known : undefined;
  }

  remember(learned: ReadonlyMap<string, KnownStudent>): void {
    if (this.students.size + learned.size > LIMIT) this.students.clear();
    for (const [email, student] of learned) this.students.set(email, student);
  }

  clear(): void {
    this.students.clear();
  }
}
