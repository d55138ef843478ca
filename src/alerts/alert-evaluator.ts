import { matchesFilter, type EventFilter } from '../live/event-matcher.js';
import type { LiveFeed } from '../live/live-feed.js';
import { toEventFilter } from '../query/event-query.js';
import type { EventStore, StoredEvent } from '../storage/types.js';
import type { Alert } from './alert-schemas.js';
import type { AlertContent, Claim, StoredRule } from './alert-store.js';
import type { AlertOptions } from './alert-options.js';
import { classWideSummary, eventStep, matchSummary, webhookBody } from './alert-text.js';
import { ClaimMemory } from './claim-memory.js';
import { stuckAlerts } from './stuck-alerts.js';

const CATCH_UP_PAGE = 1000;
/**
 * How often the evaluators' position is written: a restart re-reads at most this much,
 * whose claims are refused as already fired; and on SQLite each write waits for the writer.
 */
const PROGRESS_SAVE_MS = 5000;
/** The subject of a class-wide rule's claims. */
const CLASS = 'class';

interface ActiveRule extends StoredRule {
  filter: EventFilter;
  /** Events stored before the rule was made are not its business (a restart's catch-up reads such). */
  since: number;
}

/**
 * Evaluates the enabled rules on every instance: match and class-wide rules on each new
 * event of the shared feed, stuck rules on the class overview every few seconds. Each
 * instance evaluates everything; the store's claims make one alert of one problem,
 * whichever instance fires first. Where the evaluators had read to is kept in the
 * database, so that a restart evaluates what was stored while no instance ran.
 * Nothing here is on the acknowledgement path: it reads what was already committed.
 */
export class AlertEvaluator {
  private rules: ActiveRule[] = [];
  private stopFeed: (() => void) | null = null;
  private joining = false;
  /** Live events wait here while what was stored before is read. */
  private heldBack: StoredEvent[] | null = null;
  /** Counts joins of the feed: what a feed left behind hands over is not evaluated. */
  private generation = 0;
  private work: Promise<void> = Promise.resolve();
  private position = 0;
  private saved = 0;
  private readonly classWideDue = new Map<number, NodeJS.Timeout>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly claims: ClaimMemory;

  constructor(
    private readonly store: EventStore,
    private readonly feed: LiveFeed,
    private readonly options: AlertOptions,
    private readonly hooks: { isReady: () => boolean; onAlert: (alert: Alert) => void; onError: (error: unknown) => void },
  ) {
    this.claims = new ClaimMemory(store.alerts);
  }

  start(): void {
    const every = (ms: number, task: () => Promise<void>) => this.timers.push(setInterval(() => void task().catch(this.hooks.onError), ms).unref());
    every(this.options.rulesRefreshMs, () => this.refresh());
    every(this.options.stuckCheckMs, () => this.checkStuck());
    every(PROGRESS_SAVE_MS, () => this.saveProgress());
    void this.refresh().catch(this.hooks.onError);
  }

  async stop(): Promise<void> {
    for (const timer of [...this.timers, ...this.classWideDue.values()]) clearInterval(timer);
    this.leave();
    await this.work;
    await this.saveProgress().catch(this.hooks.onError);
  }

  /** The rules as stored now: at start, every few seconds, and at once after a change here. */
  async refresh(): Promise<void> {
    if (!this.hooks.isReady()) return;
    const rules = (await this.store.alerts.listRules()).filter((rule) => rule.enabled);
    // A changed rule (a shorter cooldown) must not be judged by what its old self fired.
    if (rules.some((rule) => !this.rules.some((known) => known.ruleId === rule.ruleId && known.updatedAt === rule.updatedAt))) this.claims.forget();
    this.rules = rules.map((rule) => ({ ...rule, filter: toEventFilter(rule.filters), since: Date.parse(rule.createdAt) }));
    const needsEvents = this.rules.some((rule) => rule.kind !== 'stuck');
    if (needsEvents && this.stopFeed === null && !this.joining) await this.join();
    if (!needsEvents) this.leave();
  }

  private leave(): void {
    this.stopFeed?.();
    this.stopFeed = null;
    this.heldBack = null;
    // Batches still queued from the feed just left are dropped: the next join reads them again.
    this.generation += 1;
  }

  private async join(): Promise<void> {
    this.joining = true;
    try {
      this.heldBack = [];
      const generation = this.generation;
      const { position, stop } = await this.feed.join((events) => {
        if (this.heldBack === null) this.enqueue(() => this.evaluate(events, generation));
        else this.heldBack.push(...events);
      });
      this.stopFeed = stop;
      // What was stored while no evaluator read (a restart) first, then the live events.
      this.enqueue(async () => {
        this.position = Math.max(await this.store.alerts.readProgress(), this.position);
        await this.catchUp(position, generation);
        const held = this.heldBack ?? [];
        this.heldBack = null;
        await this.evaluate(held, generation);
      });
    } finally {
      this.joining = false;
    }
  }

  /**
   * Runs evaluation tasks one after the other. A task that fails (the database away) leaves
   * the feed: `position` is the last event fully evaluated, and the next refresh joins
   * again and reads on from there, so no event goes unevaluated.
   */
  private enqueue(task: () => Promise<void>): void {
    this.work = this.work.then(task).catch((error: unknown) => {
      this.leave();
      this.hooks.onError(error);
    });
  }

  private async catchUp(until: number, generation: number): Promise<void> {
    while (this.position < until && generation === this.generation) {
      const events = await this.store.queryEvents({ dataFilters: [], order: 'asc', afterEventId: this.position, limit: CATCH_UP_PAGE });
      if (events.length === 0) return;
      await this.evaluate(events.filter((event) => event.event_id <= until), generation);
      if (events.length < CATCH_UP_PAGE) return;
    }
  }

  private async evaluate(events: readonly StoredEvent[], generation: number): Promise<void> {
    const oldest = Date.now() - this.options.maxEventAgeMs;
    for (const event of events) {
      if (generation !== this.generation) return;
      if (event.event_id <= this.position) continue;
      const at = Date.parse(event.created_at);
      if (at >= oldest) {
        for (const rule of this.rules) {
          if (rule.kind === 'stuck' || at < rule.since || !matchesFilter(event, rule.filter)) continue;
          if (rule.kind === 'match') await this.fireMatch(rule, event);
          else this.scheduleClassWide(rule);
        }
      }
      this.position = event.event_id;
    }
  }

  private async fireMatch(rule: ActiveRule, event: StoredEvent): Promise<void> {
    const student = { sessionToken: event.session_token, studentEmail: event.student_email, studentName: event.student_name };
    const { step, stepName } = eventStep(event);
    await this.fire(
      rule,
      { students: [student], step, stepName, event, summary: matchSummary(student, event) },
      { subject: event.session_token, problem: `event:${event.event_id}`, sequence: event.event_id, at: new Date(event.created_at) },
    );
  }

  /** Counts a class-wide rule's window once per interval, however many events matched meanwhile. */
  private scheduleClassWide(rule: ActiveRule): void {
    if (this.classWideDue.has(rule.ruleId)) return;
    const timer = setTimeout(() => {
      this.classWideDue.delete(rule.ruleId);
      this.enqueue(() => this.checkClassWide(rule));
    }, this.options.classWideCheckMs);
    this.classWideDue.set(rule.ruleId, timer);
  }

  private async checkClassWide(rule: ActiveRule): Promise<void> {
    // Within the cooldown of its last alert, nothing the window holds could fire it: no count.
    if (this.claims.coolingDown(rule.ruleId, CLASS, new Date(), rule.cooldownMinutes)) return;
    const windowMinutes = rule.windowMinutes ?? 1;
    const found = await this.store.alerts.countMatching(rule.filter, new Date(Date.now() - windowMinutes * 60_000));
    if (found.latest === null || found.events < (rule.minEvents ?? 1) || found.students < (rule.minStudents ?? 1)) return;
    const { step, stepName } = eventStep(found.latest);
    await this.fire(
      rule,
      { students: found.sample, step, stepName, event: found.latest, summary: classWideSummary(found.events, found.students, windowMinutes, found.latest) },
      { subject: CLASS, problem: `event:${found.latest.event_id}`, sequence: found.latest.event_id, at: new Date(found.latest.created_at) },
    );
  }

  private async checkStuck(): Promise<void> {
    const rules = this.rules.filter((rule) => rule.kind === 'stuck');
    if (rules.length === 0) return;
    for (const { rule, content, claim } of await stuckAlerts(this.store, rules, this.options.statusRules)) await this.fire(rule, content, claim);
  }

  private async fire(rule: ActiveRule, content: AlertContent, claim: Omit<Claim, 'cooldownMinutes'>): Promise<void> {
    const webhook =
      rule.webhookUrl === null || rule.webhookSecret === null
        ? null
        : { url: rule.webhookUrl, secret: rule.webhookSecret, body: (alert: Alert) => webhookBody(alert, this.options.publicUrl) };
    const full = { ...claim, cooldownMinutes: rule.cooldownMinutes };
    if (!this.claims.mayFire(rule.ruleId, full)) return;
    const alert = await this.store.alerts.fire({ ruleId: rule.ruleId, ruleName: rule.name, kind: rule.kind, ...content }, full, webhook, new Date());
    await this.claims.learn(rule.ruleId, full, alert !== null);
    if (alert !== null) this.hooks.onAlert(alert);
  }

  private async saveProgress(): Promise<void> {
    const position = this.position;
    if (position <= this.saved) return;
    await this.store.alerts.saveProgress(position);
    this.saved = position;
  }
}
