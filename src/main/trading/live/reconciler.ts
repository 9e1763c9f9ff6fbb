/**
 * The REST safety net of a live adapter: reconciliation runs one at a time (a request meanwhile
 * runs it once more after), on the adapter's events (stream (re)connected, a lost message) and on a
 * timer: every `pollIntervalMs` while the private stream is down, every `safetyPollMs` while it is up.
 */
export interface ReconcilerOptions<A> {
  now(): number;
  stopped(): boolean;
  /** false when nothing is tracked: no timer-driven reconciliation */
  hasWork(): boolean;
  isLive(): boolean;
  pollIntervalMs: number;
  safetyPollMs: number;
  /** how often the timer looks */
  tickMs: number;
  /** let the process exit with the timer running */
  unref: boolean;
  /** one pass; `given` is what the first pass of a run was asked with. false ends the run. */
  run(why: string, given: A | undefined): Promise<boolean | void>;
}

export class Reconciler<A = undefined> {
  private running = false;
  private again = false;
  private last = 0;
  private timer?: NodeJS.Timeout;

  constructor(private readonly o: ReconcilerOptions<A>) {}

  start(): void {
    this.timer = setInterval(() => this.poll(), this.o.tickMs);
    if (this.o.unref) this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  request(why: string, given?: A): void {
    if (this.o.stopped()) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    this.last = this.o.now();
    void (async () => {
      try {
        do {
          this.again = false;
          const more = await this.o.run(why, given);
          given = undefined;
          if (more === false) break;
        } while (this.again && !this.o.stopped());
      } finally {
        this.running = false;
      }
    })();
  }

  private poll(): void {
    if (this.o.stopped() || !this.o.hasWork()) return;
    const live = this.o.isLive();
    if (this.o.now() - this.last >= (live ? this.o.safetyPollMs : this.o.pollIntervalMs)) this.request(live ? 'safety poll' : 'stream down');
  }
}
