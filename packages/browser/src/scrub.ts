/**
 * The one rule set for secrets in event data, applied by the browser SDK before an
 * event leaves the page and by the service on ingest (so events from other clients are
 * covered too).
 *
 * @example
 * scrub({ apiKey: 'sk-abc', note: 'Bearer eyJhbGciOi…' }) // { apiKey: '[redacted]', note: 'Bearer [redacted]' }
 */
export const REDACTED = '[redacted]';

/** Field names whose value is a secret, whatever it looks like. */
const SECRET_FIELD = /pass(w|phr)|^(pass|pwd)$|secret|(api|private)[-_]?key|(auth|access|refresh|api)[-_]?token|authorization$|cookie$/i;

/**
 * Values that look like credentials, wherever they appear in a string: OpenAI keys
 * (sk-…, sk-proj-…; an already masked sk-proj-****abcd is left alone) and JSON Web Tokens
 * whole; after "Bearer ", "Basic " or a Twilio account SID and its separator (SID:token),
 * the credential that follows (the SID itself stays: it only names the account; a
 * credential has a digit or punctuation, so that "Basic Configuration" stays a step name).
 * Scrubbing twice changes nothing more: the SDK scrubs, then the service again.
 * A JWT starts only where a run of [\w-] does: else each "eyJ" inside one long run would
 * be tried to its end, quadratic ("eyJ-" × 15,000 took 1.6 s; now 1.3 ms).
 */
const SECRET_VALUE = /\b(?:sk-[\w-]{16,}|(?<![\w-])eyJ[\w-]{4,}\.eyJ[\w-]{4,}\.[\w-]*)|\b(Bearer +|Basic +|AC[\da-f]{32}[^\w[]{1,3})(?=[\w.~+/=-]*[\d.~+/=-])[\w.~+/=-]{8,}/gi;

/** `text` with every credential-looking part replaced by the marker. */
export function scrubText(text: string): string {
  // $1 is the kept prefix (Bearer, Basic, a SID), empty for the secrets replaced whole.
  return text.replace(SECRET_VALUE, `$1${REDACTED}`);
}

/**
 * A field's value after the rules: the whole value of a field named like a secret
 * becomes the marker; strings lose their credential-looking parts. Usable as a
 * JSON.stringify replacer (the SDK's way).
 */
export function scrubField(key: string, value: unknown): unknown {
  if (SECRET_FIELD.test(key)) return REDACTED;
  return typeof value === 'string' ? scrubText(value) : value;
}

/**
 * A JSON value with secrets replaced by the marker (the service's way). Copies only
 * what changed: the value itself comes back when there was nothing to scrub.
 */
export function scrub(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return scrubField('', value);
  let changed = false;
  const entries = Object.entries(value).map(([key, item]): [string, unknown] => {
    const next = item !== null && typeof item === 'object' && !SECRET_FIELD.test(key) ? scrub(item) : scrubField(key, item);
    changed ||= next !== item;
    return [key, next];
  });
  if (!changed) return value;
  // fromEntries defines keys as own properties, so a "__proto__" key stays data.
  return Array.isArray(value) ? entries.map(([, item]) => item) : Object.fromEntries(entries);
}
