import type { ChangeChannel, ChangeTopic } from './types.js';

/** The ChangeChannel of an engine that one process owns (SQLite): no other instance to tell. */
export class InProcessChangeChannel implements ChangeChannel {
  private readonly listeners = new Set<{ topic: ChangeTopic; call: () => void }>();

  announce(topic: ChangeTopic): void {
    for (const listener of this.listeners) if (listener.topic === topic) listener.call();
  }

  listen(topic: ChangeTopic, call: () => void): () => void {
    // An entry per call: the same function may listen twice and stop each separately.
    const entry = { topic, call };
    this.listeners.add(entry);
    return () => this.listeners.delete(entry);
  }
}
