import type { SqlEngine } from './sql-engine.js';

/**
 * Takes (or renews) the lease on the job `name` for `holder` until `until`, if no other
 * holder's lease is still running. One statement: of instances racing for it, one wins.
 */
export async function takeLease(engine: SqlEngine, name: string, holder: string, until: Date): Promise<boolean> {
  const now = engine.encodeTime(new Date());
  const result = await engine.db
    .insertInto('maintenance_leases')
    .values({ name, holder, expires_at: engine.encodeTime(until) })
    .onConflict((conflict) =>
      conflict
        .column('name')
        .doUpdateSet((eb) => ({ holder: eb.ref('excluded.holder'), expires_at: eb.ref('excluded.expires_at') }))
        .where((eb) => eb.or([eb('maintenance_leases.expires_at', '<', now), eb('maintenance_leases.holder', '=', holder)])),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}
