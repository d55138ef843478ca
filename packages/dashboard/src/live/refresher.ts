export interface RefreshTiming {
  /** After each answer while no stream is up: the fallback poll. */
  pollMs: number;
  /** After each answer while a stream is up: what changes with time alone (a student becoming stuck). */
  slowMs: number;
  /** A poke loads no sooner than this after the previous load began. */
  minGapMs: number;
}

export const OVERVIEW_TIMING: RefreshTiming = { pollMs: 5000, slowMs: 30_000, minGapMs: 2000 };

/**
 * Keeps something loaded: now, then again `pollMs` after each answer, or `slowMs` while
 * live; `poke()` (something changed) loads sooner, at most once per `minGapMs`. One load
 * at a time, none while the tab is hidden (one on its return).
 *
 * @example const refresher = new Refresher(() => getOverview('3h').then(show), OVERVIEW_TIMING); refresher.start(); stream.onEvent = () => refresher.poke();
 */
export class Refresher {
  private live = false;
  private loading = false;
  private pokedWhileLoading = false;
  private hiddenSkip = false;
  private lastStart = 0;
  private lastEnd = 0;
  private timer = 0;
  private dueAt = Infinity;
  private stopped = false;

  constructor(
    private readonly load: () => Promise<unknown>,
    private readonly timing: RefreshTiming,
  ) {}

  start(): void {
    document.addEventListener('visibilitychange', this.onVisibility);
    this.run();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    document.removeEventListener('visibilitychange', this.onVisibility);
  }

  /** Something changed: load again, as soon as the gap allows. */
  poke(): void {
    if (this.loading) this.pokedWhileLoading = true;
    else this.schedule(this.lastStart + this.timing.minGapMs, false);
  }

  /** A stream is up (or down): the next load after the last answer comes at the slow (or polling) pace. */
  setLive(live: boolean): void {
    if (live === this.live) return;
    this.live = live;
    if (!this.loading && this.lastEnd > 0) this.schedule(this.lastEnd + this.idleMs(), true);
  }

  private idleMs(): number {
    return this.live ? this.timing.slowMs : this.timing.pollMs;
  }

  /** Loads at `at`, unless a load is due sooner already (or `replace`: whatever was due). */
  private schedule(at: number, replace: boolean): void {
    if (this.stopped || (!replace && this.dueAt <= at)) return;
    clearTimeout(this.timer);
    this.dueAt = at;
    this.timer = window.setTimeout(() => this.run(), Math.max(0, at - Date.now()));
  }

  private run(): void {
    this.dueAt = Infinity;
    if (this.stopped) return;
    if (document.hidden) {
      this.hiddenSkip = true;
      return;
    }
    this.loading = true;
    this.lastStart = Date.now();
    void this.load().finally(() => {
      this.loading = false;
      this.lastEnd = Date.now();
      if (this.pokedWhileLoading) {
        this.pokedWhileLoading = false;
        this.schedule(this.lastStart + this.timing.minGapMs, true);
      } else this.schedule(this.lastEnd + this.idleMs(), true);
    });
  }

  private readonly onVisibility = () => {
    if (!this.hiddenSkip || document.hidden) return;
    this.hiddenSkip = false;
    this.run();
  };
}
