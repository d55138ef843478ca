import type { Kysely } from 'kysely';
import { problemFact } from '../../analytics/problem-facts.js';
import type { Database } from './database.js';

const BATCH = 5000;
/** Rows per INSERT: 9 values each, within SQLite's 32,766 bound variables. */
const ROWS_PER_INSERT = 1000;

/**
 * Migration 009's fill of event_problems for the events stored before it, with the same
 * function the writers apply to new events, a batch of errors and API calls at a time.
 */
export async function backfillProblems(
  untyped: Kysely<unknown>,
  decode: { data: (raw: unknown) => Record<string, unknown>; time: (raw: unknown) => number },
): Promise<void> {
  const db = untyped as Kysely<Database>;
  for (let after = 0; ; ) {
    const rows = await db
      .selectFrom('events')
      .select(['event_id', 'session_token', 'event_type', 'event_data', 'created_at'])
      .where('event_type', 'in', ['error', 'api_call'])
      .where('event_id', '>', after)
      .orderBy('event_id')
      .limit(BATCH)
      .execute();
    const last = rows.at(-1);
    if (last === undefined) return;
    after = Number(last.event_id);
    const problems = rows.flatMap((row) => {
      const fact = problemFact(row.event_type, decode.data(row.event_data));
      return fact === null ? [] : [{ event_id: row.event_id, session_token: row.session_token, at_ms: decode.time(row.created_at), ...problemColumns(fact) }];
    });
    for (let start = 0; start < problems.length; start += ROWS_PER_INSERT) {
      await db.insertInto('event_problems').values(problems.slice(start, start + ROWS_PER_INSERT)).execute();
    }
  }
}

/** A ProblemFact as event_problems' columns. */
function problemColumns(fact: NonNullable<ReturnType<typeof problemFact>>) {
  return { kind: fact.kind, label: fact.label, pattern: fact.pattern, status: fact.status, step: fact.step, step_name: fact.stepName };
}
