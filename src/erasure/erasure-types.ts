/** Whose data to erase: a student (all their sessions) or one session. */
export type ErasureSubject = { kind: 'student'; email: string } | { kind: 'session'; sessionToken: string };

/** What an erasure deleted, by kind of row. */
export interface ErasureCounts {
  events: number;
  sessions: number;
  students: number;
  stepStays: number;
  alerts: number;
}

/** What the audit keeps of an erasure: never whose data it was. */
export interface ErasureAudit {
  /** A salted SHA-256 of the email or session token, and its salt (hex). */
  subjectDigest: string;
  salt: string;
  /** Which instructor credential asked: "token" or "session:<first 8 hex of its digest>". */
  credential: string;
}
