// The service's API as the dashboard uses it: same origin, the session cookie as credentials.
import type { OverviewResponse } from '../../../src/sessions/overview-schema.js';
import type { StoredEvent } from '../../../src/storage/types.js';

export type Overview = OverviewResponse;
export type SessionRow = Overview['sessions'][number];
export type StepRow = Overview['steps'][number];
export type { StoredEvent };

export interface EventsPage {
  count: number;
  events: StoredEvent[];
  hasMore: boolean;
  nextCursor: string | null;
}

/** The instructor is not (or no longer) signed in. */
export class SignedOut extends Error {}

/** A request to the service: its JSON answer, or the service's error message thrown (SignedOut on 401). */
export async function call<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, init);
  if (response.status === 401) throw new SignedOut();
  const body = (response.status === 204 ? {} : await response.json()) as T & { error?: { message: string } };
  if (!response.ok) throw new Error(body.error?.message ?? `HTTP ${response.status}`);
  return body;
}

/** A request carrying `body` as JSON. */
export const withJson = (method: string, body: unknown): RequestInit => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

export const signIn = (token: string) => call('/api/auth/session', withJson('POST', { token }));
export const signOut = () => call('/api/auth/session', { method: 'DELETE' });
export const checkSession = () => call('/api/auth/session');
export const getOverview = (activeWithin: string) => call<Overview>(`/api/sessions?activeWithin=${activeWithin}&limit=2000`);
export const getEvents = (query: URLSearchParams) => call<EventsPage>(`/api/session-log?${query.toString()}`);

/** The latest `max` events of one session, oldest first; `complete` is false when there were more. */
export async function getSessionEvents(sessionToken: string, max = 5000): Promise<{ events: StoredEvent[]; complete: boolean }> {
  const events: StoredEvent[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ sessionToken, order: 'desc', limit: '1000' });
    if (cursor !== null) query.set('cursor', cursor);
    const page = await getEvents(query);
    events.push(...page.events);
    cursor = page.hasMore ? page.nextCursor : null;
  } while (cursor !== null && events.length < max);
  return { events: events.reverse(), complete: cursor === null };
}
