import { sql } from 'kysely';
import type { JsonFieldPredicates } from '../sql/sql-engine.js';

/** JSON predicates on jsonb: `#>` keeps the JSON type, so comparisons are typed. */
export function postgresJsonField(keys: readonly string[]): JsonFieldPredicates {
  const field = sql`(e.event_data #> ${keys}::text[])`;
  return {
    present: () => sql<boolean>`${field} IS NOT NULL`,
    equals: (expected) => sql<boolean>`${field} = ${JSON.stringify(expected)}::jsonb`,
    compareNumber: (operator, expected) =>
      sql<boolean>`(jsonb_typeof(${field}) = 'number' AND ${field} ${sql.raw(operator)} ${JSON.stringify(expected)}::jsonb)`,
  };
}
