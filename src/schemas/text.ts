import { Type } from 'typebox';

/**
 * Text without control characters or unpaired UTF-16 surrogates: PostgreSQL refuses NUL,
 * and an unpaired surrogate cannot be stored as UTF-8 and read back unchanged.
 */
const PLAIN_TEXT = '^[^\\u0000-\\u001f\\ud800-\\udfff]*$';

/** Schema annotation: the message shown when a pattern fails, instead of the regex. */
export const ERROR_HINT = 'x-error';

export const PlainText = (minLength: number, maxLength: number, description: string) =>
  Type.String({
    minLength,
    maxLength,
    pattern: PLAIN_TEXT,
    description,
    [ERROR_HINT]: `must be ${minLength}-${maxLength} characters without control characters or unpaired surrogates`,
  });

export const SessionToken = PlainText(1, 256, 'The student session, e.g. "ws_1234567890".');
export const EventType = PlainText(1, 50, 'e.g. navigation, error, action, api_call, state_change, or your own.');
export const StudentEmail = Type.String({ format: 'email', maxLength: 254, description: 'Stored in lower case.' });
