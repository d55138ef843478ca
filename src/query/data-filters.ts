import { BadRequestError } from '../errors.js';
import { textProblem } from '../schemas/json-guard.js';
import type { ComparisonOperator, DataFilter, JsonScalar } from '../storage/types.js';

const OPERATOR = /^(eq|ne|gt|gte|lt|lte):/;
const JSON_NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;

/**
 * Reads `data.<path>=[op:]value` query parameters (their syntax already checked by the
 * query schema; what only shows once decoded, such as 1e400 or "\u0000", is refused here).
 *
 * @example parseDataFilters({ 'data.status': 'gte:400' }) // [{ path: ['status'], op: 'gte', value: 400 }]
 */
export function parseDataFilters(query: Record<string, unknown>, prefix: 'data.' | 'run.' = 'data.'): DataFilter[] {
  return Object.entries(query)
    .filter(([key]) => key.startsWith(prefix))
    .flatMap(([key, raw]) => {
      const path = key.slice(prefix.length).split('.');
      const values = Array.isArray(raw) ? raw : [raw];
      return values.map((value) => parseCondition(key, path, String(value)));
    });
}

function parseCondition(key: string, path: string[], text: string): DataFilter {
  const op = OPERATOR.exec(text)?.[1] as ComparisonOperator | undefined;
  const operand = op === undefined ? text : text.slice(op.length + 1);
  const value = typedValue(operand);
  const problem =
    typeof value === 'number' && !Number.isFinite(value)
      ? 'is a number beyond double precision'
      : typeof value === 'string'
        ? textProblem(value)
        : null;
  if (problem !== null) throw new BadRequestError('invalid_request', `querystring/${key} ${problem}`);
  return { path, op: op ?? 'eq', value };
}

/** A URL value read as JSON where it is a JSON scalar, else as plain text. */
function typedValue(text: string): JsonScalar {
  if (JSON_NUMBER.test(text)) return Number(text);
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null') return null;
  if (/^"[\s\S]*"$/.test(text)) {
    try {
      return JSON.parse(text) as string;
    } catch {
      return text;
    }
  }
  return text;
}
