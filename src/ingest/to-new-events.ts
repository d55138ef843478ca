import { scrub } from '@session-log/browser/scrub';
import type { EventInput, IngestBody } from '../schemas/event-input.js';
import type { NewEvent } from '../storage/types.js';

/**
 * The events of a validated POST body, single or batch, normalised for storage, with
 * secrets in their data replaced by the SDK's own rules (for clients that are not the SDK).
 */
export function toNewEvents(body: IngestBody): NewEvent[] {
  const items = 'events' in body ? body.events : [body];
  return items.map(toNewEvent);
}

function toNewEvent(item: EventInput): NewEvent {
  return {
    sessionToken: item.sessionToken,
    eventType: item.eventType,
    eventData: scrub(item.eventData) as Record<string, unknown>,
    // Emails and UUIDs compare case-insensitively; store one spelling of each.
    studentEmail: item.studentEmail?.toLowerCase() ?? undefined,
    studentName: item.studentName ?? undefined,
    eventId: item.eventId === undefined ? undefined : canonicalUuid(item.eventId),
    seq: item.seq,
  };
}

/** The one spelling of a UUID: lower case, with dashes (the SDK sends 32 bare hex digits). */
function canonicalUuid(id: string): string {
  return id
    .toLowerCase()
    .replaceAll('-', '')
    .replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-');
}
