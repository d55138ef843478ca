import { sql, type Transaction } from 'kysely';
import type { Database } from './database.js';

/** Says to the writers that rows they may remember were deleted (see SqliteEventWriter). */
export async function bumpStoreEpoch(trx: Transaction<Database>): Promise<void> {
  await sql`UPDATE store_epoch SET epoch = epoch + 1`.execute(trx);
}
