import type { NewEvent } from '../types.js';

/** Messages between the main thread and the SQLite write worker. */
export type WriteRequest = { kind: 'insert'; id: number; events: readonly NewEvent[] } | { kind: 'close' };

export interface WriteReply {
  id: number;
  error?: { message: string; code: string | undefined };
}
