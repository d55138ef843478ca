import type { ChangeChannel } from './types.js';

/** The ChangeChannel of an engine that one process owns (SQLite): no other instance to tell. */
export class InProcessChangeChannel implements ChangeChannel {
  private readonly listeners = new Set<() => void>();

  announce(): void {
    for (const listener of this.listeners) listener();
  }

  listen(listener: () => void): () => void {
    // A wrapper per call: the same function may listen twice and stop each separately.
    const entry = () => listener();
    this.listeners.add(entry);
    return () => this.listeners.delete(entry);
  }
}
