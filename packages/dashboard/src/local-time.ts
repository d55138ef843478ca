// Instants as the URL keeps them (ISO 8601) and as datetime-local fields show them (this browser's local time).

/** A time as the form or the URL gives it (an instant, or the browser's local time), or null if it does not parse. */
export function instant(value: string | null): Date | null {
  const time = new Date(value ?? '');
  return Number.isNaN(time.getTime()) ? null : time;
}

/** An instant from the URL as a datetime-local field shows it: this browser's local time. */
export function localInput(value: string | null): string {
  const time = instant(value);
  if (time === null) return '';
  return new Date(time.getTime() - time.getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
}

/**
 * `from`'s `since` and `until` set in `to` as instants (ISO 8601), so that a colleague
 * elsewhere gets the same range; a time that does not parse (a hand-edited URL) is left
 * out rather than breaking the page. Returns `to`.
 */
export function copyInstants(from: URLSearchParams, to: URLSearchParams): URLSearchParams {
  for (const key of ['since', 'until']) {
    const time = instant(from.get(key));
    if (time === null) to.delete(key);
    else to.set(key, time.toISOString());
  }
  return to;
}
