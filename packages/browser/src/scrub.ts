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
const SECRET_FIELD = /passw|^pass$|secret|(api|private)[-_]?key|(auth|access|refresh)[-_]?token|^authorization$|^cookie$/i;

/** Values that look like credentials, wherever they appear in a string. */
const SECRET_VALUES: ReadonlyArray<[RegExp, string]> = [
  // OpenAI keys: sk-…, sk-proj-… (an already masked key such as sk-proj-****abcd is left alone).
  [/\bsk-[\w-]{16,}/g, REDACTED],
  // HTTP credentials in a header or message.
  [/\b(Bearer|Basic) +[\w.~+/=-]{8,}/gi, `$1 ${REDACTED}`],
  // JSON Web Tokens: header.payload.signature.
  [/\beyJ[\w-]{4,}\.eyJ[\w-]{4,}\.[\w-]*/g, REDACTED],
  // A Twilio account SID followed by its auth token (SID:token): the SID stays, it only names the account.
  [/\b(AC[\da-f]{32})([^\da-f]{1,3})[\da-f]{32}\b/gi, `$1$2${REDACTED}`],
];

/** `text` with every credential-looking part replaced by the marker. */
export function scrubText(text: string): string {
  return SECRET_VALUES.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text);
}

/**
 * A JSON value with secrets replaced by the marker. Copies only what changed (the value
 * itself comes back when there was nothing to scrub); values nested deeper than
 * `maxDepth` become the marker too.
 */
export function scrub(value: unknown, maxDepth = 32): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (value === null || typeof value !== 'object') return value;
  if (maxDepth <= 0) return REDACTED;
  let changed = false;
  const entries = Object.entries(value).map(([key, item]): [string, unknown] => {
    const next = SECRET_FIELD.test(key) ? REDACTED : scrub(item, maxDepth - 1);
    changed ||= next !== item;
    return [key, next];
  });
  if (!changed) return value;
  // fromEntries defines keys as own properties, so a "__proto__" key stays data.
  return Array.isArray(value) ? entries.map(([, item]) => item) : Object.fromEntries(entries);
}
