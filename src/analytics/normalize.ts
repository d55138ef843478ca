/**
 * One bug, one row: error messages and API paths with their variable parts (ids, keys,
 * numbers…) replaced by placeholders, so that the same failure for 200 students groups
 * as one. Computed once, when an event is stored; the API, the export and the CLI all
 * read what this produced.
 */

/** Longest pattern kept: a stack trace pasted into a message is not a group key. */
export const MAX_PATTERN_LENGTH = 300;
/** The part of a message looked at: what a pattern keeps comes from its start, and work stays bounded whatever a client sends. */
const MAX_INPUT_LENGTH = 2000;

// Every rule starts a match only where a run of its characters starts (a lookbehind, not
// \b): tried from inside a run, a rule that fails would rescan the run's rest from each
// of its characters, quadratic in a long run that a client controls.
const PREFIXED_ID = /\b[A-Za-z]+[_-](?=[A-Za-z0-9]*\d)[A-Za-z0-9]{4,}\b/;
const PREFIXED_ID_G = new RegExp(PREFIXED_ID.source, 'g');

/** URLs are normalised on their own (normalizeUrl): the rules below would take them apart. */
const URL_PATTERN = /(\bhttps?:\/\/[^\s"'<>)\]]+)/i;

/** Applied in order: an email first (it holds ids and numbers of its own). */
const MESSAGE_RULES: ReadonlyArray<readonly [RegExp, string]> = [
  [/(?<![\w.+-])[\w.+-]+@[\w-]+(\.[\w-]+)+/g, '<email>'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>'],
  // Secret keys as providers print them (sk-…, sk_live_…, pk_…, rk_…, with masking stars),
  // Twilio's SIDs (AC…, SK…, 32 hex), and long unspaced tokens mixing letters and digits.
  [/\b(sk|pk|rk)[-_][\w*-]{6,}/g, '<key>'],
  [/\b[A-Z]{2}[0-9a-f]{32}\b/g, '<key>'],
  [/(?<![\w-])(?=[\w-]{20,})(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[\w-]+/g, '<key>'],
  [/\b0x[0-9a-f]+\b/gi, '<hex>'],
  [/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi, '<hex>'],
  // Prefixed ids (ws_1234567890, req_8f2k3x, user-1042), not names such as gpt-4o.
  [PREFIXED_ID_G, '<id>'],
  // A minus sign only where it is one (-5), not a hyphen (gpt-4o).
  [/(?:(?<![\w-])-)?\d+(?:\.\d+)?/g, '<n>'],
];

/**
 * @example normalizeMessage('Invalid key sk-abc123XYZ for ws_1700000000') // 'Invalid key <key> for <id>'
 */
export function normalizeMessage(message: string): string {
  // split() with a capturing group: URLs at the odd indexes, the text around them at the even.
  const parts = message.slice(0, MAX_INPUT_LENGTH).split(URL_PATTERN).map((part, i) => (i % 2 === 1 ? normalizeUrl(part) : normalizeText(part)));
  return clip(parts.join('').replace(/\s+/g, ' ').trim());
}

function normalizeText(text: string): string {
  return MESSAGE_RULES.reduce((result, [pattern, placeholder]) => result.replace(pattern, placeholder), text);
}

/**
 * An API endpoint as a group key: no query or fragment, and path segments that are ids
 * (numbers, UUIDs, hex, long or digit-heavy tokens) as `<id>`. The host stays: the same
 * path on two services is two endpoints.
 *
 * @example normalizePath('https://api.twilio.com/2010-04-01/Accounts/AC0123…/Calls.json?x=1')
 *   // 'https://api.twilio.com/<id>/Accounts/<id>/Calls.json'
 */
export function normalizePath(endpoint: string): string {
  const trimmed = endpoint.slice(0, MAX_INPUT_LENGTH).trim();
  const origin = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(trimmed)?.[0] ?? '';
  const path = trimmed.slice(origin.length).split(/[?#]/)[0] ?? '';
  return clip(origin.toLowerCase() + path.split('/').map(normalizeSegment).join('/'));
}

function normalizeUrl(url: string): string {
  const [withoutQuery = '', query] = url.split(/\?(.*)/s);
  return normalizePath(withoutQuery) + (query === undefined ? '' : '?<query>');
}

function normalizeSegment(segment: string): string {
  if (segment === '') return segment;
  const digits = segment.replace(/\D/g, '').length;
  const isId =
    /^\d+$/.test(segment) ||
    digits >= 4 ||
    /^[0-9a-f]{8,}$/i.test(segment) ||
    (segment.length >= 16 && digits > 0) ||
    new RegExp(`^${PREFIXED_ID.source}$`).test(segment);
  return isId ? '<id>' : segment;
}

function clip(text: string): string {
  return text.length <= MAX_PATTERN_LENGTH ? text : `${text.slice(0, MAX_PATTERN_LENGTH - 1)}…`;
}
