import type { EventInput, IngestBody } from '../schemas/event-input.js';
import type { NewEvent } from '../storage/types.js';

/** The events of a validated POST body, single or batch, normalised for storage. */
export function toNewEvents(body: IngestBody): NewEvent[] {
  const items = 'events' in body ? body.events : [body];
  return items.map(toNewEvent);
}

function toNewEvent(item: EventInput): NewEvent {
  return {
    sessionToken: item.sessionToken,
    eventType: item.eventType,
    eventData: item.eventData,
    // Emails and UUIDs compare case-insensitively; store one spelling of each.
    studentEmail: item.studentEmail?.toLowerCase() ?? undefined,
    studentName: item.studentName ?? undefined,
    eventId: item.eventId?.toLowerCase(),
  };
}
