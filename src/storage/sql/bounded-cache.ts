/** Entries kept; past this a cache starts over (a class has hundreds of students). */
const LIMIT = 50_000;

/**
 * A map that forgets everything when it grows past LIMIT, and each entry once older than
 * `maxAgeMs`: the writers' memory of students and session links. Only an optimisation: a
 * miss, or a cleared cache, means a lookup.
 */
export class BoundedCache<K, V> {
  private readonly entries = new Map<K, { value: V; at: number }>();

  constructor(private readonly maxAgeMs = Infinity) {}

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined || this.maxAgeMs === Infinity || Date.now() - entry.at <= this.maxAgeMs) return entry?.value;
    this.entries.delete(key);
    return undefined;
  }

  /** Adds what a committed transaction learned. */
  remember(learned: ReadonlyMap<K, V>): void {
    if (this.entries.size + learned.size > LIMIT) this.entries.clear();
    const at = Date.now();
    for (const [key, value] of learned) this.entries.set(key, { value, at });
  }

  clear(): void {
    this.entries.clear();
  }
}

/** A student as this process last wrote or read it. */
export interface KnownStudent {
  id: number;
  name: string | null;
}

/** The remembered student, unless unknown or the group brings a new name for them. */
export function currentStudent(
  cache: BoundedCache<string, KnownStudent>,
  email: string,
  name: string | null,
): KnownStudent | undefined {
  const known = cache.get(email);
  return known !== undefined && (name === null || name === known.name) ? known : undefined;
}
