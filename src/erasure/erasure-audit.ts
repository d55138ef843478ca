import { createHash, randomBytes } from 'node:crypto';
import type { ErasureAudit } from './erasure-types.js';

/**
 * The audit's record of who was erased: a SHA-256 of a random salt and the email (or
 * token), never the value. Whoever holds the email can check that it was erased (hash it
 * with each record's salt); the record alone names nobody.
 */
export function erasureAudit(subject: string, credential: string): ErasureAudit {
  const salt = randomBytes(16).toString('hex');
  return { salt, subjectDigest: saltedDigest(salt, subject), credential };
}

export const saltedDigest = (salt: string, subject: string) => createHash('sha256').update(`${salt}\0${subject}`).digest('hex');
