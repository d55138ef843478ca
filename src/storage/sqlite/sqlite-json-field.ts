import { sql } from 'kysely';
import type { JsonFieldPredicates } from '../sql/sql-engine.js';
import type { JsonScalar } from '../types.js';

/** Keys are restricted to [A-Za-z0-9_] by the query schema; quoting keeps them literal. */
const jsonPath = (keys: readonly string[]) => `$${keys.map((key) => `."${key}"`).join('')}`;

/** JSON predicates through json_type (the JSON type) and ->> (the SQL value). */
export function sqliteJsonField(keys: readonly string[]): JsonFieldPredicates {
  const at = jsonPath(keys);
  const type = sql`json_type(e.event_data, ${at})`;
  const value = sql`(e.event_data ->> ${at})`;
  const isNumber = sql<boolean>`${type} IN ('integer', 'real')`;
  // As the double it is to JSON readers (and to PostgreSQL's comparison): SQLite reads
  // 1234567890123456800 as that exact 64-bit integer, which no double equals.
  const number = sql`CAST(${value} AS REAL)`;
  const equals = (expected: JsonScalar) => {
    if (expected === null) return sql<boolean>`${type} = 'null'`;
    if (typeof expected === 'boolean') return sql<boolean>`${type} = ${expected ? 'true' : 'false'}`;
    if (typeof expected === 'number') return sql<boolean>`(${isNumber} AND ${number} = ${expected})`;
    return sql<boolean>`(${type} = 'text' AND ${value} = ${expected})`;
  };
  return {
    present: () => sql<boolean>`${type} IS NOT NULL`,
    equals,
    compareNumber: (operator, expected) => sql<boolean>`(${isNumber} AND ${number} ${sql.raw(operator)} ${expected})`,
  };
}
