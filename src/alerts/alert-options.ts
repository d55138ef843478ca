import type { StatusRules } from '../sessions/status-rules.js';

export interface AlertOptions {
  /** The class overview's status rules, which `stuck` rules follow. */
  statusRules: StatusRules;
  /** How often rules are re-read (another instance may have changed them). */
  rulesRefreshMs: number;
  /** How often `stuck` rules look at the class overview. */
  stuckCheckMs: number;
  /** A class-wide rule counts its window at most this often. */
  classWideCheckMs: number;
  /** Events older than this when read (after an outage, a restart) raise no alert. */
  maxEventAgeMs: number;
  /** The dashboard's address as students' timelines are linked from webhooks; null: no link. */
  publicUrl: string | null;
}

export const DEFAULT_ALERT_OPTIONS: Omit<AlertOptions, 'statusRules'> = {
  rulesRefreshMs: 5000,
  stuckCheckMs: 5000,
  classWideCheckMs: 1000,
  maxEventAgeMs: 10 * 60_000,
  publicUrl: null,
};
