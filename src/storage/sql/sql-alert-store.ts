import { sql, type ExpressionBuilder } from 'kysely';
import type { Alert, Delivery } from '../../alerts/alert-schemas.js';
import type {
  AlertStore,
  Claim,
  DeliveryOutcome,
  DueDelivery,
  MatchingEvents,
  NewAlert,
  RuleFields,
  StoredRule,
  WebhookTarget,
} from '../../alerts/alert-store.js';
import type { EventFilter } from '../../live/event-matcher.js';
import { ruleColumns, toAlert, toDelivery, toRule } from './alert-rows.js';
import type { Database } from './database.js';
import { selectEvents, toStoredEvent } from './select-events.js';
import type { SqlEngine } from './sql-engine.js';

/** Students named in a class-wide alert, at most. */
const SAMPLE_STUDENTS = 20;
/** A class-wide window is counted over its newest events, at most this many. */
const WINDOW_SCAN = 5000;

/** The AlertStore over any SqlEngine (see AlertStore). */
export class SqlAlertStore implements AlertStore {
  constructor(
    private readonly engine: SqlEngine,
    private readonly guard: <T>(operation: () => Promise<T>) => Promise<T>,
  ) {}

  createRule(rule: RuleFields, now: Date): Promise<StoredRule> {
    const at = this.engine.encodeTime(now);
    return this.guard(async () =>
      toRule(this.engine, await this.engine.db.insertInto('alert_rules').values({ ...ruleColumns(this.engine, rule), created_at: at, updated_at: at }).returningAll().executeTakeFirstOrThrow()),
    );
  }

  listRules(): Promise<StoredRule[]> {
    return this.guard(async () => (await this.engine.db.selectFrom('alert_rules').selectAll().orderBy('rule_id').execute()).map((row) => toRule(this.engine, row)));
  }

  getRule(ruleId: number): Promise<StoredRule | null> {
    return this.guard(async () => {
      const row = await this.engine.db.selectFrom('alert_rules').selectAll().where('rule_id', '=', ruleId).executeTakeFirst();
      return row === undefined ? null : toRule(this.engine, row);
    });
  }

  updateRule(ruleId: number, rule: RuleFields, now: Date): Promise<StoredRule | null> {
    return this.guard(async () => {
      const row = await this.engine.db
        .updateTable('alert_rules')
        .set({ ...ruleColumns(this.engine, rule), updated_at: this.engine.encodeTime(now) })
        .where('rule_id', '=', ruleId)
        .returningAll()
        .executeTakeFirst();
      return row === undefined ? null : toRule(this.engine, row);
    });
  }

  deleteRule(ruleId: number): Promise<boolean> {
    return this.guard(async () => {
      const result = await this.engine.db.deleteFrom('alert_rules').where('rule_id', '=', ruleId).executeTakeFirst();
      return result.numDeletedRows > 0n;
    });
  }

  readClaim(ruleId: number, subject: string): Promise<{ sequence: number; firedAt: Date } | null> {
    return this.guard(async () => {
      const row = await this.engine.db
        .selectFrom('alert_claims')
        .select(['sequence', 'fired_at'])
        .where('rule_id', '=', ruleId)
        .where('subject', '=', subject)
        .executeTakeFirst();
      return row === undefined ? null : { sequence: Number(row.sequence), firedAt: new Date(this.engine.decodeTime(row.fired_at)) };
    });
  }

  fire(alert: NewAlert, claim: Claim, webhook: WebhookTarget | null, now: Date): Promise<Alert | null> {
    const { engine } = this;
    return this.guard(() =>
      engine.db.transaction().execute(async (trx) => {
        const cutoff = new Date(claim.at.getTime() - claim.cooldownMinutes * 60_000);
        // One statement, so concurrent claims queue on the row and re-check the condition.
        const fired = { problem: claim.problem, sequence: claim.sequence, fired_at: engine.encodeTime(claim.at) };
        const claimed = await trx
          .insertInto('alert_claims')
          .values({ rule_id: alert.ruleId, subject: claim.subject, ...fired })
          .onConflict((oc) =>
            oc
              .columns(['rule_id', 'subject'])
              .doUpdateSet(fired)
              .where((eb) => {
                const later = eb('alert_claims.sequence', '<', claim.sequence);
                // No cooldown: every later problem fires, whatever order their times came in.
                return claim.cooldownMinutes === 0 ? later : eb.and([later, eb('alert_claims.fired_at', '<=', engine.encodeTime(cutoff))]);
              }),
          )
          .returning('rule_id')
          .executeTakeFirst();
        if (claimed === undefined) return null;
        const row = await trx
          .insertInto('alerts')
          .values({
            rule_id: alert.ruleId,
            rule_name: alert.ruleName,
            kind: alert.kind,
            summary: alert.summary,
            students: JSON.stringify(alert.students),
            step: alert.step,
            step_name: alert.stepName,
            event: alert.event === null ? null : JSON.stringify(alert.event),
            created_at: engine.encodeTime(now),
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        const stored = toAlert(engine, row);
        if (webhook !== null) {
          await trx
            .insertInto('webhook_deliveries')
            .values({
              alert_id: stored.alertId,
              rule_id: alert.ruleId,
              url: webhook.url,
              body: webhook.body(stored),
              secret: webhook.secret,
              status: 'pending',
              attempts: 0,
              next_attempt_at: engine.encodeTime(now),
              created_at: engine.encodeTime(now),
            })
            .execute();
        }
        return stored;
      }),
    );
  }

  listAlerts(query: { limit: number; unacknowledged?: boolean; since?: Date }): Promise<Alert[]> {
    return this.guard(async () => {
      let select = this.engine.db.selectFrom('alerts').selectAll().orderBy('alert_id', 'desc').limit(query.limit);
      if (query.unacknowledged === true) select = select.where('acknowledged_at', 'is', null);
      if (query.since !== undefined) select = select.where('created_at', '>=', this.engine.encodeTime(query.since));
      return (await select.execute()).map((row) => toAlert(this.engine, row));
    });
  }

  acknowledgeAlert(alertId: number, now: Date): Promise<Alert | null> {
    return this.guard(async () => {
      const { db } = this.engine;
      // Acknowledged once: a second acknowledgement keeps the first one's time.
      await db.updateTable('alerts').set({ acknowledged_at: this.engine.encodeTime(now) }).where('alert_id', '=', alertId).where('acknowledged_at', 'is', null).execute();
      const row = await db.selectFrom('alerts').selectAll().where('alert_id', '=', alertId).executeTakeFirst();
      return row === undefined ? null : toAlert(this.engine, row);
    });
  }

  claimDeliveries(now: Date, leaseMs: number, limit: number): Promise<DueDelivery[]> {
    const { engine } = this;
    const at = engine.encodeTime(now);
    return this.guard(async () => {
      const due = (eb: ExpressionBuilder<Database, 'webhook_deliveries'>) =>
        eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', at), eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', at)])]);
      const rows = await engine.db
        .updateTable('webhook_deliveries')
        .set({ claimed_until: engine.encodeTime(new Date(now.getTime() + leaseMs)) })
        // The condition again on the row itself: a row another instance claimed meanwhile is skipped.
        .where((eb) => eb.and([due(eb), eb('delivery_id', 'in', engine.db.selectFrom('webhook_deliveries').select('delivery_id').where(due).orderBy('delivery_id').limit(limit))]))
        .returning(['delivery_id', 'url', 'body', 'secret', 'attempts'])
        .execute();
      return rows.map((row) => ({ deliveryId: engine.decodeId(row.delivery_id), url: row.url, body: row.body, secret: row.secret, attempts: row.attempts }));
    });
  }

  finishDelivery(deliveryId: number, outcome: DeliveryOutcome, now: Date): Promise<void> {
    const { engine } = this;
    const status = outcome.ok ? 'delivered' : outcome.retryAt === null ? 'failed' : 'pending';
    return this.guard(async () => {
      await engine.db
        .updateTable('webhook_deliveries')
        .set((eb) => ({
          status,
          attempts: eb('attempts', '+', 1),
          last_status: outcome.status,
          last_error: outcome.error,
          claimed_until: null,
          delivered_at: outcome.ok ? engine.encodeTime(now) : null,
          ...(outcome.retryAt === null ? {} : { next_attempt_at: engine.encodeTime(outcome.retryAt) }),
        }))
        .where('delivery_id', '=', deliveryId)
        .execute();
    });
  }

  nextDeliveryAt(): Promise<Date | null> {
    return this.guard(async () => {
      const row = await this.engine.db
        .selectFrom('webhook_deliveries')
        .select((eb) => eb.fn.min(sql`CASE WHEN claimed_until > next_attempt_at THEN claimed_until ELSE next_attempt_at END`).as('at'))
        .where('status', '=', 'pending')
        .executeTakeFirst();
      return row?.at == null ? null : new Date(this.engine.decodeTime(row.at));
    });
  }

  listDeliveries(query: { ruleId?: number | undefined; alertId?: number | undefined; limit: number }): Promise<Delivery[]> {
    return this.guard(async () => {
      let select = this.engine.db.selectFrom('webhook_deliveries').selectAll().orderBy('delivery_id', 'desc').limit(query.limit);
      if (query.ruleId !== undefined) select = select.where('rule_id', '=', query.ruleId);
      if (query.alertId !== undefined) select = select.where('alert_id', '=', query.alertId);
      return (await select.execute()).map((row) => toDelivery(this.engine, row));
    });
  }

  readProgress(): Promise<number> {
    return this.guard(async () => {
      const row = await this.engine.db.selectFrom('alert_progress').select('last_event_id').where('id', '=', 1).executeTakeFirst();
      return row === undefined ? 0 : Number(row.last_event_id);
    });
  }

  saveProgress(eventId: number): Promise<void> {
    return this.guard(async () => {
      // Only forward: instances that read the same log save the furthest any has reached.
      await this.engine.db.updateTable('alert_progress').set({ last_event_id: eventId }).where('id', '=', 1).where('last_event_id', '<', eventId).execute();
    });
  }

  countMatching(filter: EventFilter, since: Date): Promise<MatchingEvents> {
    const { engine } = this;
    return this.guard(async () => {
      // Newest first, ids and students only: a bounded read however busy the window was.
      const rows = await selectEvents(engine, { ...filter, since, order: 'desc', limit: WINDOW_SCAN })
        .clearSelect()
        .select(['e.event_id', 'e.session_token', 'e.student_id', 's.email', 's.name'])
        .execute();
      const first = rows[0];
      if (first === undefined) return { events: 0, students: 0, latest: null, sample: [] };
      const students = new Map(rows.map((row) => [row.student_id ?? `session ${row.session_token}`, row]));
      const [latest] = await selectEvents(engine, { dataFilters: [], order: 'desc', afterEventId: engine.decodeId(first.event_id) + 1, limit: 1 }).execute();
      const sample = [...students.values()].slice(0, SAMPLE_STUDENTS).map((row) => ({ sessionToken: row.session_token, studentEmail: row.email, studentName: row.name }));
      return { events: rows.length, students: students.size, latest: latest === undefined ? null : toStoredEvent(engine, latest), sample };
    });
  }
}
