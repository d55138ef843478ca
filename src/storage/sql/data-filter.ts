import { sql, type Expression, type SqlBool } from 'kysely';
import type { DataFilter } from '../types.js';
import type { SqlEngine } from './sql-engine.js';

const NUMERIC = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

/**
 * One `data.<path>=[op:]value` condition. eq: same type and value; ne: present with
 * another value (of any type); gt/gte/lt/lte: a number that compares so.
 */
export function dataFilter(engine: SqlEngine, filter: DataFilter): Expression<SqlBool> {
  const field = engine.jsonField(filter.path);
  switch (filter.op) {
    case 'eq':
      return field.equals(filter.value);
    case 'ne':
      return sql<SqlBool>`(${field.present()} AND NOT ${field.equals(filter.value)})`;
    default:
      return field.compareNumber(NUMERIC[filter.op], Number(filter.value));
  }
}
