import pg from 'pg';
import type { PostgresPool, PostgresPoolClient } from 'kysely';

/**
 * Wraps a pg Pool for Kysely so that a connection which failed below SQL (killed, timed
 * out, reset) is destroyed on release instead of being handed to the next query.
 */
export function discardBrokenClients(pool: pg.Pool): PostgresPool {
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      let broken = false;
      const query = async (text: string, values: readonly unknown[]) => {
        try {
          return await client.query(text, values as unknown[]);
        } catch (error) {
          broken ||= !(error instanceof pg.DatabaseError);
          throw error;
        }
      };
      return {
        query: query as unknown as PostgresPoolClient['query'],
        release: (destroy?: boolean) => client.release(destroy === true || broken),
      };
    },
    end: () => pool.end(),
  };
}
