import { decodeCursor } from '../query/cursor.js';

/**
 * Where a stream resumes: after the event of `Last-Event-ID` (an SSE reconnection) if
 * given, else after the `cursor` parameter's (an `asc` cursor of GET or of the stream),
 * else from now.
 */
export function resumePosition(lastEventId: string | undefined, cursor: string | undefined): number | undefined {
  const position = lastEventId ?? cursor;
  return position === undefined ? undefined : decodeCursor(position, 'asc');
}
