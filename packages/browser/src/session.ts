/** The tab's session: its token, the student once known, and the next sequence number. */
export interface Session {
  /** The session token, `ws_` + 128 random bits unless the page brought its own. */
  t: string;
  /** Next per-session sequence number. */
  s: number;
  /** Student email and name, once identified. */
  e?: string;
  n?: string;
}

// One-letter fields: this record is rewritten on every event and ships in the 2 KB script.
const KEY = 'sl:session';

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => (b + 256).toString(16).slice(1)).join('');

/** A random (version 4) UUID; crypto.randomUUID exists only on HTTPS pages. */
export function uuid(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] as number) & 15) | 64;
  b[8] = ((b[8] as number) & 63) | 128;
  return hex(b).replace(/(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-');
}

/** The tab's session, kept in sessionStorage so that it survives reloads but not the tab. */
export function loadSession(pageToken?: string): Session {
  let saved: Session | undefined;
  try {
    saved = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Session | undefined;
  } catch {
    // Storage blocked or corrupt: a session for this page only.
  }
  const token = pageToken ?? saved?.t ?? `ws_${hex(crypto.getRandomValues(new Uint8Array(16)))}`;
  return saved?.t === token ? saved : { t: token, s: 0 };
}

export function saveSession(session: Session): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(session));
  } catch {
    // Storage blocked: sequence numbers restart on reload, which shows as a gap, not a loss.
  }
}
