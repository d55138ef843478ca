import pg from 'pg';
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
      const markBroken = () => {
        broken = true;
      };
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
        typeof queryOrText === 'string' ? query(queryOrText, values ?? []) : client.query(queryOrText as pg.Submittable);
      return {
        query: submit as unknown as PostgresPoolClient['query'],
        release: (destroy?: boolean) => {
          client.off('error', markBroken);
          client.release(destroy === true || broken);
        },
      };
    },
    end: () => pool.end(),
  };
}
