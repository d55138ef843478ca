import pg from 'pg';
import type Cursor from 'pg-cursor';
import type { PostgresPool, PostgresPoolClient } from 'kysely';

/**
 * Wraps a pg Pool for Kysely so that a connection which failed below SQL (killed, timed
 * out, reset) is destroyed on release instead of being handed to the next query.
 * A checked-out client that loses its connection between queries emits 'error'; the
 * pool only listens on idle clients, so without our listener that would crash the process.
 */
export function discardBrokenClients(pool: pg.Pool): PostgresPool {
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      let broken = false;
      const waiting = new Set<() => void>();
      const markBroken = () => {
        broken = true;
        for (const wake of waiting) wake();
        waiting.clear();
      };
      const untilBroken = () => (broken ? Promise.resolve() : new Promise<void>((resolve) => waiting.add(resolve)));
      client.on('error', markBroken);
      const query = async (text: string, values: readonly unknown[]) => {
        try {
          return await client.query(text, values as unknown[]);
        } catch (error) {
          broken ||= !(error instanceof pg.DatabaseError);
          throw error;
        }
      };
      // A cursor (Kysely's stream) is submitted as is: pg returns it for its reader to pull.
      const submit = (queryOrText: unknown, values?: readonly unknown[]) =>
        typeof queryOrText === 'string' ? query(queryOrText, values ?? []) : closingWithConnection(client.query(queryOrText as Cursor), untilBroken);
      return {
        query: submit as unknown as PostgresPoolClient['query'],
        release: (destroy?: boolean) => {
          client.off('error', markBroken);
          waiting.clear();
          client.release(destroy === true || broken);
        },
      };
    },
    end: () => pool.end(),
  };
}

/**
 * A cursor's close waits for the server's answer, which a lost connection never sends:
 * an export whose backend was killed would hang there for ever (Kysely closes the cursor
 * when its read fails). It ends with the connection instead.
 */
function closingWithConnection(cursor: Cursor, untilBroken: () => Promise<void>): Cursor {
  const close = cursor.close.bind(cursor);
  return Object.assign(cursor, { close: () => Promise.race([close(), untilBroken()]) });
}
