import { setTimeout as sleep } from 'node:timers/promises';
import type { Static } from 'typebox';
import type { EventsResponse } from '../../schemas/responses.js';
import type { ApiClient } from '../http-client.js';
import type { FollowHandlers } from './follow-stream.js';
import { reconnecting } from './reconnection.js';

type EventPage = Static<typeof EventsResponse>;

const POLL_MS = 1000;
/** Writers commit a little after they stamp created_at: start the first read this far back, skipping by id. */
const START_SLACK_MS = 60_000;

/**
 * Follows new events by polling GET /api/session-log with an `asc` cursor, for a
 * service without the stream route. An asc page never passes a write still in
 * progress, so a later poll from its cursor misses nothing.
 */
export async function pollEvents(client: ApiClient, filters: URLSearchParams, handlers: FollowHandlers): Promise<never> {
  // Start at the end: what is already there is history, not news.
  const latest = new URLSearchParams(filters);
  latest.set('order', 'desc');
  latest.set('limit', '1');
  const newest = (await client.json<EventPage>('GET', '/api/session-log', { query: latest })).events[0];
  const query = new URLSearchParams(filters);
  query.set('order', 'asc');
  query.set('limit', '1000');
  if (newest !== undefined) query.set('since', new Date(Date.parse(newest.created_at) - START_SLACK_MS).toISOString());
  const seenUpTo = newest?.event_id ?? 0;
  const reconnection = reconnecting(handlers.notice);
  handlers.following();
  for (;;) {
    try {
      const page = await client.json<EventPage>('GET', '/api/session-log', { query });
      reconnection.succeeded();
      for (const event of page.events) if (event.event_id > seenUpTo) await handlers.event(event);
      if (page.nextCursor !== null) query.set('cursor', page.nextCursor);
      if (!page.hasMore) await sleep(POLL_MS);
    } catch (error) {
      await reconnection.failed(error);
    }
  }
}
