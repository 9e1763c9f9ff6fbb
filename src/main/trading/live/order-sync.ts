/**
 * Re-reading one order at the venue, coalesced: one read at a time, one more if asked meanwhile.
 * While the venue's state is behind what is known (fills not listed yet, a cancel still queued) the
 * read is repeated after `retryMs`, at most `retries` times in a row; after that the next
 * reconciliation tries again.
 */
export interface OrderSyncOptions {
  /** one read of the order */
  read(): Promise<void>;
  /** false once the order is done or the adapter stopped */
  active(): boolean;
  /** a read threw */
  failed(err: unknown): void;
  retries: number;
  retryMs: number;
  /** the order did not settle within `retries` re-reads */
  unsettled(why: string): void;
}

export class OrderSync {
  private running = false;
  private pending = false;
  private timer?: NodeJS.Timeout;
  private tries = 0;

  constructor(private readonly o: OrderSyncOptions) {}

  request(): void {
    if (!this.o.active()) return;
    if (this.running) {
      this.pending = true;
      return;
    }
    this.running = true;
    void (async () => {
      try {
        do {
          this.pending = false;
          await this.o.read();
        } while (this.pending && this.o.active());
      } catch (err) {
        this.o.failed(err);
      } finally {
        this.running = false;
      }
    })();
  }

  /** Read once more after the current read (called from within it). */
  again(): void {
    this.pending = true;
  }

  /** The venue is behind: read again shortly (see top). */
  settleLater(why: string): void {
    if (this.timer || !this.o.active()) return;
    if (++this.tries > this.o.retries) {
      this.o.unsettled(why);
      this.tries = 0;
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.request();
    }, this.o.retryMs);
  }

  /** Read again after `ms`, replacing any timer. */
  after(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.request();
    }, ms);
  }

  /** The order is where it should be: the settle count starts over. */
  settled(): void {
    this.tries = 0;
  }

  clear(): void {
    clearTimeout(this.timer);
  }
}
