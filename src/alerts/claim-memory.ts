import type { AlertStore, Claim } from './alert-store.js';

/** Claims remembered at most; past this the memory starts over (it only saves database work). */
const MAX_REMEMBERED = 50_000;

/**
 * What this instance knows of each rule's last alert per subject, so that the events of a
 * problem already alerted on (a student's tenth identical error within the cooldown) cost
 * no transaction. It only ever skips what the store's claim would refuse: what it knows
 * is what the store said, and a newer alert elsewhere only makes it ask the store again.
 */
export class ClaimMemory {
  private readonly known = new Map<string, { sequence: number; firedAt: number }>();

  constructor(private readonly store: AlertStore) {}

  /** False when the store would surely refuse this claim. */
  mayFire(ruleId: number, claim: Claim): boolean {
    const last = this.known.get(`${ruleId}\0${claim.subject}`);
    if (last === undefined) return true;
    return last.sequence < claim.sequence && (claim.cooldownMinutes === 0 || claim.at.getTime() - last.firedAt >= claim.cooldownMinutes * 60_000);
  }

  /** True while the rule's last known alert about `subject` is within `cooldownMinutes` of `at`: no claim could win. */
  coolingDown(ruleId: number, subject: string, at: Date, cooldownMinutes: number): boolean {
    const last = this.known.get(`${ruleId}\0${subject}`);
    return last !== undefined && at.getTime() - last.firedAt < cooldownMinutes * 60_000;
  }

  /** After a claim: what the store now holds (ours, or, when refused, what it had). */
  async learn(ruleId: number, claim: Claim, fired: boolean): Promise<void> {
    const stored = fired ? { sequence: claim.sequence, firedAt: claim.at } : await this.store.readClaim(ruleId, claim.subject);
    if (stored === null) return;
    if (this.known.size >= MAX_REMEMBERED) this.known.clear();
    this.known.set(`${ruleId}\0${claim.subject}`, { sequence: stored.sequence, firedAt: stored.firedAt.getTime() });
  }

  forget(): void {
    this.known.clear();
  }
}
