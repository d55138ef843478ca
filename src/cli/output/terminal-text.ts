/**
 * Control characters, bidirectional overrides and line separators: what, printed raw,
 * would let a student's event text move the cursor, recolour or rewrite the instructor's
 * terminal, or break a table row.
 */
const UNSAFE = /[\p{Cc}\p{Zl}\p{Zp}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `text` with every unsafe character written as an escape (`\n`, `\u001b`). */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (char) => NAMED[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * An event's data as one line of text: `errorType=openai_validation_failed statusCode=401
 * message="Incorrect API key"`. Strings that need it are quoted; nested values are JSON.
 */
export function dataText(data: unknown): string {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return terminalSafe(JSON.stringify(data) ?? '');
  return terminalSafe(
    Object.entries(data as Record<string, unknown>)
      .map(([key, value]) => `${key}=${typeof value === 'string' && /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value)}`)
      .join(' '),
  );
}
