import { BadRequestError } from '../errors.js';
import type { SortOrder } from '../storage/types.js';

/**
 * An opaque page position: the last event id seen and the direction it was read in.
 * Keyset pagination on event_id never skips or repeats a row while events keep arriving:
 * reads that follow the log stop at the stores' visibility horizon (see README, Ordering).
 */
export function encodeCursor(order: SortOrder, lastEventId: number): string {
  return Buffer.from(`${order}:${lastEventId}`).toString('base64url');
}

export function decodeCursor(cursor: string, order: SortOrder): number {
  // 0: the start of an empty log, where a live stream opened before any event begins.
  const match = /^(asc|desc):(0|[1-9][0-9]{0,15})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (match === null) throw new BadRequestError('invalid_cursor', 'cursor is not one this service returned');
  if (match[1] !== order) {
    throw new BadRequestError('invalid_cursor', `cursor was made for order=${match[1]}, not order=${order}`);
  }
  return Number(match[2]);
}
