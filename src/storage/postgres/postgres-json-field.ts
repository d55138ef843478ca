import { sql } from 'kysely';
import type { JsonFieldPredicates } from '../sql/sql-engine.js';

/**
 * JSON predicates on jsonb: `#>` keeps the JSON type, so comparisons are typed.
 * The numeric comparison is one CASE expression rather than two conditions: PostgreSQL
 * has no statistics on jsonb fields, and multiplying two default selectivities made it
 * expect a handful of matches and sort them all (37 ms at 200 k events) instead of
 * reading the newest rows in index order until the page is full (2 ms).
 */
export function postgresJsonField(keys: readonly string[]): JsonFieldPredicates {
  const field = sql`(e.event_data #> ${keys}::text[])`;
  return {
    present: () => sql<boolean>`${field} IS NOT NULL`,
    equals: (expected) => sql<boolean>`${field} = ${JSON.stringify(expected)}::jsonb`,
    compareNumber: (operator, expected) =>
      sql<boolean>`(CASE WHEN jsonb_typeof(${field}) = 'number' THEN ${field} ${sql.raw(operator)} ${JSON.stringify(expected)}::jsonb END)`,
  };
}
