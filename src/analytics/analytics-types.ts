import type { DataFilter } from '../storage/types.js';

/** A window of the class's history, and optionally one workshop run within it. */
export interface AnalyticsWindow {
  since: Date;
  until: Date;
  /** Only the sessions that logged an event matching these in the window (a run's tag); none: all. */
  dataFilters: DataFilter[];
}

export interface ProblemQuery extends AnalyticsWindow {
  kind: 'error' | 'api_call';
  /** At most this many groups, the most frequent first. */
  limit: number;
  /** The trend's buckets: the window cut in this many equal parts. */
  buckets: number;
}

/** A student (a session) hit by a problem. */
export interface AffectedStudent {
  sessionToken: string;
  studentEmail: string | null;
  studentName: string | null;
  count: number;
  lastSeen: string;
}

export interface StepCount {
  step: string | null;
  stepName: string | null;
  count: number;
}

/** One bug: the events that share a label (error type, or method), a pattern and, for calls, a status. */
export interface ProblemGroup {
  label: string | null;
  pattern: string;
  status: number | null;
  /** The latest raw message (errors) or endpoint (calls) of the group. */
  example: string | null;
  count: number;
  students: number;
  steps: StepCount[];
  firstSeen: string;
  lastSeen: string;
  trend: number[];
  /** The most recently hit, up to 20. */
  affected: AffectedStudent[];
}

export interface ProblemReport {
  bucketSeconds: number;
  total: number;
  groups: ProblemGroup[];
}

export interface FunnelQuery extends AnalyticsWindow {
  /** Sessions with no event since this time have left (the overview's idle rule). */
  idleBefore: Date;
}

export interface FunnelStep {
  step: string | null;
  stepName: string | null;
  reached: number;
  medianSeconds: number | null;
  p90Seconds: number | null;
  leftHere: number;
  wentBack: number;
  onStepNow: number;
}

export interface Funnel {
  students: number;
  steps: FunnelStep[];
}
