import { sql, type Kysely, type RawBuilder } from 'kysely';

/**
 * The advisory lock key of the writers: 001 and 002's writers hold it for their whole
 * transaction, 007's only while they reserve their event ids. A migration that must stop
 * every writer holds it until it commits.
 */
export const WRITE_LOCK = 1582665748;
/** The class of the per-session advisory locks (two-key form: this, hashtext(session_token)). */
const SESSION_LOCK_CLASS = 1582665749;

/**
 * For a migration that rewrites what the writers touch: no statement timeout (a backfill
 * of a large table outlasts the pool's), and the writers' lock, so that writers on other
 * instances wait until the migration has committed.
 */
export async function holdWriters(db: Kysely<unknown>): Promise<void> {
  await sql`SET LOCAL statement_timeout = 0`.execute(db);
  await sql`SELECT pg_advisory_xact_lock(${sql.lit(WRITE_LOCK)})`.execute(db);
}

/**
 * Migrations 001 and 002: a group of events in one call (one round trip, one autocommit),
 * serialised by a transaction-level advisory lock so that event ids follow commit order
 * across instances. The insert is a statement after the lock: its snapshot sees every link
 * and student that other instances committed before. See groupInsert for the steps.
 */
export async function createInsertEventsFunction(db: Kysely<unknown>, { withSeq }: { withSeq: boolean }) {
  // Migration 001 created the function without seq, 002 with it: the text must stay
  // what each migration ran, hence the switch rather than an edited copy.
  await sql`CREATE FUNCTION session_log_insert_events(
    p_tokens text[], p_types text[], p_data jsonb[], p_emails text[], p_event_ids uuid[], ${withSeq ? sql`p_seqs integer[],` : sql``}
    p_new_emails text[], p_new_names text[], p_known_ids bigint[], p_known_emails text[]
  ) RETURNS TABLE (student_id bigint, email text, name text)
  LANGUAGE plpgsql VOLATILE AS $fn$
  #variable_conflict use_column
  BEGIN
    PERFORM pg_advisory_xact_lock(${sql.lit(WRITE_LOCK)});
    RETURN QUERY ${groupInsert({ withSeq, reservedIds: false })};
  END
  $fn$`.execute(db);
}

/**
 * Migration 007: writers commit concurrently. Event ids no longer follow commit order;
 * instead each group, in a moment under the writers' lock, takes its transaction id and a
 * block of consecutive event ids, so that ids follow transaction ids across groups. A read
 * that follows the log then returns only rows whose writer's transaction id is below the
 * oldest write still in progress in this database (session_log_settled_xid): rows that no
 * later commit can precede in event_id order. Groups that share a session still commit one
 * after the other (a lock per session, in a fixed order), so that an anonymous event sees
 * the link another instance's group is committing for its session.
 */
export async function replaceInsertEventsFunction(db: Kysely<unknown>): Promise<void> {
  await createConcurrentInsertFunction(db, { withProblems: false });
  await sql`CREATE FUNCTION session_log_settled_xid() RETURNS xid8 LANGUAGE plpgsql VOLATILE AS $fn$
  DECLARE
    v_snapshot pg_snapshot := pg_current_snapshot();
    v_oldest xid8;
  BEGIN
    -- Transactions in progress at the snapshot that still hold a transaction id in this
    -- database now (others have finished, or write elsewhere: another database's long
    -- transaction must not hold our readers back). Compared on the low 32 bits, which
    -- pg_stat_activity shows: transactions in progress together are never 2^32 apart.
    SELECT min(x) INTO v_oldest FROM pg_snapshot_xip(v_snapshot) AS x
    WHERE (x::text::bigint % 4294967296) IN (
      SELECT backend_xid::text::bigint FROM pg_stat_activity
      WHERE datname = current_database() AND backend_xid IS NOT NULL
    );
    RETURN least(v_oldest, pg_snapshot_xmax(v_snapshot));
  END
  $fn$`.execute(db);
}

/**
 * Migration 009: 007's function with one more argument, each event's problem (an error's
 * or a failed call's ProblemFact as JSON, else null), stored in event_problems with the
 * event. An overload: instances still running 007's code keep calling theirs meanwhile.
 */
export async function createProblemsInsertFunction(db: Kysely<unknown>): Promise<void> {
  await createConcurrentInsertFunction(db, { withProblems: true });
}

/** 007 and 009: the arguments of session_log_insert_events, as arrays (009 adds p_problems). */
function createConcurrentInsertFunction(db: Kysely<unknown>, { withProblems }: { withProblems: boolean }): Promise<void> {
  return createConcurrentWriter(db, {
    head: sql`CREATE OR REPLACE FUNCTION session_log_insert_events(
    p_tokens text[], p_types text[], p_data jsonb[], p_emails text[], p_event_ids uuid[], p_seqs integer[],
    p_new_emails text[], p_new_names text[], p_known_ids bigint[], p_known_emails text[]${withProblems ? sql`, p_problems jsonb[]` : sql``}
  )`,
    input: arrayInput(true),
    withProblems,
  });
}

/**
 * Migration 010: 009's writer with the group as one jsonb document, an array of
 * {s: token, t: type, d: data, e: email, i: client id, q: seq, p: problem} (absent keys
 * are nulls). The client wrote each event's data as JSON, then escaped it again into an
 * array literal beside six more arrays, which the server split again: building a group's
 * arguments took 1.85 µs of the service's main thread per event, the document 1.05
 * (2026-12-08, groups of 40, uncontended), and the service's single-event requests per
 * second rose 5%. A function of its own: instances still running 009's code keep calling
 * theirs meanwhile.
 */
export function createGroupWriteFunction(db: Kysely<unknown>): Promise<void> {
  return createConcurrentWriter(db, {
    head: sql`CREATE FUNCTION session_log_write_events(
    p_events jsonb, p_new_emails text[], p_new_names text[], p_known_ids bigint[], p_known_emails text[]
  )`,
    input: documentInput,
    withProblems: true,
  });
}

/**
 * A writer of 007 and after: reserves the group's ids, waits for groups of the same
 * sessions still committing (a lock per session, in a fixed order), then stores the group
 * in one statement. `head`: `CREATE … FUNCTION name(arguments)`.
 */
async function createConcurrentWriter(db: Kysely<unknown>, { head, input, withProblems }: { head: RawBuilder<unknown>; input: GroupInput; withProblems: boolean }): Promise<void> {
  const sequence = sql.lit(`${await identitySequence(db)}`);
  await sql`${head} RETURNS TABLE (student_id bigint, email text, name text)
  LANGUAGE plpgsql VOLATILE AS $fn$
  #variable_conflict use_column
  DECLARE
    v_xid xid8;
    v_first bigint;${input.declarations}
  BEGIN
    ${reserveIds(sequence, input.count)}
    PERFORM pg_advisory_xact_lock(${sql.lit(SESSION_LOCK_CLASS)}, h)
      FROM (SELECT DISTINCT hashtext(${input.token}) AS h FROM ${input.tokens} ORDER BY 1) AS sessions;
    RETURN QUERY ${groupInsert({ withSeq: true, reservedIds: true, withProblems, input })};
  END
  $fn$`.execute(db);
}

/**
 * 007's reservation, in a moment under the writers' lock: the transaction id (v_xid) and
 * `count` consecutive event ids from v_first, into the caller's variables.
 */
function reserveIds(sequence: RawBuilder<unknown>, count: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`BEGIN
      PERFORM pg_advisory_lock(${sql.lit(WRITE_LOCK)});
      v_xid := pg_current_xact_id();
      v_first := nextval(${sequence}::regclass);
      PERFORM setval(${sequence}::regclass, v_first + ${count} - 1);
      PERFORM pg_advisory_unlock(${sql.lit(WRITE_LOCK)});
    EXCEPTION WHEN OTHERS OR query_canceled THEN
      -- A session-level lock outlives the failed statement (even one granted as its wait
      -- was cancelled), and this connection returns to the pool: release every one it
      -- holds (a writer holds no other), or every writer on every instance waits.
      PERFORM pg_advisory_unlock_all();
      RAISE;
    END;`;
}

async function identitySequence(db: Kysely<unknown>): Promise<string> {
  const { rows } = await sql<{ name: string }>`SELECT pg_get_serial_sequence('events', 'event_id') AS name`.execute(db);
  const name = rows[0]?.name;
  if (name === undefined) throw new Error('events.event_id has no sequence');
  return name;
}

/**
 * With concurrent writers, a group of the same session that took later ids may have
 * committed first, before the link this group records, and stayed anonymous: link it now
 * (its rows are visible, as this group waited for it on the session's lock).
 */
const laterAnonymousEvents = (groupSize: RawBuilder<unknown>) => sql`
    relinked AS (
      UPDATE events e SET student_id = l.student_id
      FROM linked l
      WHERE e.session_token = l.session_token AND e.student_id IS NULL AND e.event_id >= v_first + ${groupSize}
    ),`;

/** 009: each stored event's problem (the events skipped as already stored have none), from `problems` (problem, idx). */
const problemsInsert = (problems: RawBuilder<unknown>) => sql`,
    problems AS (
      INSERT INTO event_problems (event_id, session_token, at_ms, kind, label, pattern, status, step, step_name)
      SELECT i.event_id, i.session_token, (extract(epoch FROM i.created_at) * 1000)::bigint, p.problem->>'kind', p.problem->>'label', p.problem->>'pattern',
             (p.problem->>'status')::integer, p.problem->>'step', p.problem->>'stepName'
      FROM inserted i
      JOIN ${problems} ON i.event_id = v_first + p.idx - 1
      WHERE p.problem IS NOT NULL
    )`;

/** Where a writer reads its group from. */
interface GroupInput {
  /** The rows (session_token, event_type, event_data, email, client_event_id[, seq], idx from 1). */
  rows: RawBuilder<unknown>;
  /** How many events the group has. */
  count: RawBuilder<unknown>;
  /** Each event's session token, as `token` over `tokens` (for the session locks). */
  token: RawBuilder<unknown>;
  tokens: RawBuilder<unknown>;
  /** Each event's ProblemFact (or null) as `p.problem`, numbered `p.idx`. */
  problems: RawBuilder<unknown>;
  /** More plpgsql variables the above need. */
  declarations: RawBuilder<unknown>;
}

/** 001 to 009: the group as one array per column. */
function arrayInput(withSeq: boolean): GroupInput {
  const seqInput = withSeq ? sql`, p_seqs` : sql``;
  const seqColumn = withSeq ? sql`, seq` : sql``;
  return {
    rows: sql`
      SELECT u.*
      FROM unnest(p_tokens, p_types, p_data, p_emails, p_event_ids${seqInput})
        WITH ORDINALITY AS u(session_token, event_type, event_data, email, client_event_id${seqColumn}, idx)`,
    count: sql`cardinality(p_tokens)`,
    token: sql`t`,
    tokens: sql`unnest(p_tokens) AS t`,
    problems: sql`unnest(p_problems) WITH ORDINALITY AS p(problem, idx)`,
    declarations: sql``,
  };
}

/** 010: the group as one document, each event's problem beside it. */
const documentInput: GroupInput = {
  rows: sql`
      SELECT e->>'s' AS session_token, e->>'t' AS event_type, e->'d' AS event_data, e->>'e' AS email,
             (e->>'i')::uuid AS client_event_id, (e->>'q')::integer AS seq, e->'p' AS problem, x.idx
      FROM jsonb_array_elements(p_events) WITH ORDINALITY AS x(e, idx)`,
  count: sql`v_count`,
  token: sql`e->>'s'`,
  tokens: sql`jsonb_array_elements(p_events) AS e`,
  problems: sql`input p`,
  declarations: sql`
    v_count integer := jsonb_array_length(p_events);`,
};

/**
 * `WITH … SELECT`: one statement that stores a group and returns the students it upserted.
 *
 * 1. Upsert the students the caller does not know yet (it passes the others by id), and
 *    return them for the caller to remember.
 * 2. Give each event its student: its own email's; else, after the session's first
 *    identified event in this group, that one's; else the session's stored link.
 * 3. Record each session's newest link; insert the events, skipping known client ids.
 *    With reserved ids, the i-th event takes v_first + i - 1 and records v_xid.
 */
function groupInsert({ withSeq, reservedIds, withProblems = false, input = arrayInput(withSeq) }: { withSeq: boolean; reservedIds: boolean; withProblems?: boolean; input?: GroupInput }): RawBuilder<unknown> {
  const seqColumn = withSeq ? sql`, seq` : sql``;
  const seqValue = withSeq ? sql`, r.seq` : sql``;
  const idColumns = reservedIds ? sql`event_id, write_xid, ` : sql``;
  const idValues = reservedIds ? sql`v_first + r.idx - 1, v_xid, ` : sql``;
  return sql`
    WITH input AS MATERIALIZED (${input.rows}
    ),
    upserted AS (
      INSERT INTO students AS s (email, name)
      SELECT n.email, n.name FROM unnest(p_new_emails, p_new_names) AS n(email, name)
      ORDER BY n.email
      ON CONFLICT (email) DO UPDATE SET name = COALESCE(EXCLUDED.name, s.name)
      RETURNING s.student_id, s.email, s.name
    ),
    student_ids AS (
      SELECT student_id, email FROM upserted
      UNION ALL
      SELECT k.student_id, k.email FROM unnest(p_known_ids, p_known_emails) AS k(student_id, email)
    ),
    segmented AS (
      SELECT i.*, si.student_id AS own_student,
             count(i.email) OVER (PARTITION BY i.session_token ORDER BY i.idx) AS segment
      FROM input i
      LEFT JOIN student_ids si ON si.email = i.email
    ),
    resolved AS (
      SELECT sg.*,
             CASE WHEN sg.segment = 0 THEN links.student_id
                  ELSE first_value(sg.own_student) OVER (PARTITION BY sg.session_token, sg.segment ORDER BY sg.idx)
             END AS resolved_student
      FROM segmented sg
      LEFT JOIN sessions links ON links.session_token = sg.session_token
    ),
    linked AS (
      INSERT INTO sessions AS ss (session_token, student_id)
      SELECT DISTINCT ON (r.session_token) r.session_token, r.resolved_student
      FROM resolved r
      WHERE r.segment > 0
      ORDER BY r.session_token, r.idx DESC
      ON CONFLICT (session_token) DO UPDATE SET student_id = EXCLUDED.student_id
      WHERE ss.student_id IS DISTINCT FROM EXCLUDED.student_id
      RETURNING ss.session_token, ss.student_id
    ),${reservedIds ? laterAnonymousEvents(input.count) : sql``}
    inserted AS (
      INSERT INTO events (${idColumns}student_id, session_token, event_type, event_data, created_at, client_event_id${seqColumn})
      ${reservedIds ? sql`OVERRIDING SYSTEM VALUE` : sql``}
      SELECT ${idValues}r.resolved_student, r.session_token, r.event_type, r.event_data,
             date_trunc('milliseconds', clock_timestamp()), r.client_event_id${seqValue}
      FROM resolved r
      ORDER BY r.idx
      ON CONFLICT (client_event_id) DO NOTHING
      ${withProblems ? sql`RETURNING event_id, session_token, created_at` : sql``}
    )${withProblems ? problemsInsert(input.problems) : sql``}
    SELECT u.student_id, u.email, u.name FROM upserted u`;
}
