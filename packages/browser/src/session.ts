/**
 * The tab's session as every event carries it: the token, the student once known, and
 * the next sequence number (events carry the number, then it goes up by one).
 */
export interface Session {
  /** `ws_` + 128 random bits, unless the page brought its own. */
  sessionToken: string;
  studentEmail?: string;
  studentName?: string;
  seq: number;
}

const KEY = 'sl:s';

/**
 * 128 random bits as 32 hex digits: the session token's randomness, and event ids (a
 * UUID in its 32-digit form, which the service accepts; unique is all they need to be,
 * so the version bits are not set). crypto.randomUUID exists only on HTTPS pages.
 */
export const random = () => [...crypto.getRandomValues(new Uint8Array(16))].map((b) => (b + 256).toString(16).slice(1)).join('');

/** The tab's session, kept in sessionStorage so that it survives reloads but not the tab. */
export function loadSession(pageToken?: string): Session {
  let saved: Session | undefined;
  try {
    saved = JSON.parse(sessionStorage.getItem(KEY) as string) as Session | undefined;
  } catch {
    // Storage blocked or corrupt: a session for this page only.
  }
  const sessionToken = pageToken ?? saved?.sessionToken ?? `ws_${random()}`;
  return saved?.sessionToken === sessionToken ? saved : { sessionToken, seq: 0 };
}

export function saveSession(session: Session): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(session));
  } catch {
    // Storage blocked: sequence numbers restart on reload, which shows as a gap, not a loss.
  }
}
