// Transactions Since ID: https://developer.oanda.com/rest-live-v20/transaction-ep/ ("all Transactions
// newer than the TransactionID"); every REST answer and stream heartbeat names `lastTransactionID`.
/**
 * The account's transaction log, applied in id order exactly as far as it is known.
 *
 * A cursor (`applied`) holds the last id applied. Stream transactions wait in an inbox and are
 * applied when they are next (cursor + 1); one further on, a heartbeat or REST answer naming a
 * later id, or an explicit `catchUpTo`, makes the log read the gap from sinceid first. The first
 * cursor is OANDA's `lastTransactionID` when the adapter starts, or earlier if orders were made
 * before that was known (`noteCreated`).
 *
 * Replays: an order found after a doubt, or restored after a restart, must see its whole history
 * before anything else is applied to it. `replays()` names the orders waiting for one and the id
 * to start from; the log reads sinceid from there (or from the cursor, if that is earlier) to the
 * end, applying every transaction; the owner's apply is idempotent, so orders that had seen some
 * of them already are not disturbed. All reading is serialised: one pump at a time.
 */
import type { Transaction } from './messages';

export interface ReplaySet {
  /** replay the log after this id */
  from: number;
  begin(): void;
  /** `complete`: the log was read to its end */
  end(complete: boolean): void;
}

export interface LogSource {
  /** OANDA's lastTransactionID now (GET /pendingOrders) */
  baseline(): Promise<number>;
  /** GET /transactions/sinceid?id=… */
  since(id: number): Promise<{ transactions: Transaction[]; last: number }>;
  apply(tx: Transaction): void;
  replays(): ReplaySet | null;
  /** a failure reading the log; return the delay before trying again, or null to wait for the next event */
  failed(err: unknown, attempt: number): number | null;
  log(level: 'info' | 'warn' | 'error', msg: string): void;
}

/** sinceid pages read per gap before yielding to other work */
const MAX_PAGES = 50;

export class TransactionLog {
  /** the last transaction id applied in order; null until the baseline is known */
  applied: number | null = null;
  private floor = Infinity;
  private target = 0;
  private readonly inbox: Transaction[] = [];
  private pumping = false;
  private again = false;
  private failures = 0;
  private retry: NodeJS.Timeout | undefined;
  private waiters: Array<() => void> = [];
  private stopped = false;

  constructor(private readonly src: LogSource, private readonly waitCapMs: number) {}

  /** A transaction from the stream. */
  push(tx: Transaction): void {
    this.inbox.push(tx);
    this.kick();
  }

  /** A heartbeat (or any answer) naming OANDA's latest id. */
  heard(last: number): void {
    if (this.applied === null || last > this.applied) this.catchUpTo(last);
  }

  /** The log must be applied at least up to `id`. */
  catchUpTo(id: number): void {
    this.target = Math.max(this.target, id);
    this.kick();
  }

  /** An order was created with this id before the baseline was known: the log must start no later. */
  noteCreated(id: number): void {
    if (this.applied === null) this.floor = Math.min(this.floor, id - 1);
  }

  setBaseline(last: number): void {
    if (this.applied === null) this.applied = Math.min(last, this.floor);
  }

  /** Resolves once the log is applied up to `id`, or the pump has stopped trying for now. */
  caughtUp(id: number): Promise<void> {
    if (this.stopped || (this.applied !== null && this.applied >= id)) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.waitCapMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.waiters.push(done);
      this.catchUpTo(id);
    });
  }

  /** Runs the pump (one at a time; once more if asked meanwhile). */
  kick(): void {
    if (this.stopped) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    void (async () => {
      try {
        do {
          this.again = false;
          await this.pumpOnce();
        } while (this.again && !this.stopped);
        this.failures = 0;
      } catch (err) {
        const delay = this.stopped ? null : this.src.failed(err, ++this.failures);
        if (delay !== null) {
          clearTimeout(this.retry);
          this.retry = setTimeout(() => this.kick(), delay);
        }
      } finally {
        this.pumping = false;
        for (const w of this.waiters.splice(0)) w();
      }
    })();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retry);
    for (const w of this.waiters.splice(0)) w();
  }

  private async pumpOnce(): Promise<void> {
    if (this.applied === null) this.setBaseline(await this.src.baseline());
    for (let r = this.src.replays(); r && !this.stopped; r = this.src.replays()) await this.replay(r);
    while (!this.stopped && this.inbox.length > 0) {
      this.inbox.sort(byId);
      const tx = this.inbox[0]!;
      const n = Number(tx.id);
      if (n <= this.applied!) {
        this.inbox.shift();
        continue;
      }
      if (n > this.applied! + 1) {
        const before = this.applied!;
        await this.readSince(n - 1);
        if (this.applied === before && n > this.applied + 1) {
          this.src.log('warn', `oanda: transactions ${this.applied + 1}..${n - 1} could not be read; going on from ${n}`);
          this.applied = n - 1;
        }
        continue;
      }
      this.inbox.shift();
      this.src.apply(tx);
      this.applied = n;
    }
    if (!this.stopped && this.target > this.applied!) await this.readSince(this.target);
  }

  /** sinceid from the cursor, page by page, until it reaches `upTo` (or OANDA's last id). */
  private async readSince(upTo: number): Promise<void> {
    for (let page = 0; page < MAX_PAGES && !this.stopped; page++) {
      const { transactions, last } = await this.src.since(this.applied!);
      const txs = transactions.sort(byId);
      for (const tx of txs) {
        const n = Number(tx.id);
        if (n <= this.applied!) continue;
        this.src.apply(tx);
        this.applied = n;
      }
      if (txs.length === 0 || this.applied! >= last || this.applied! >= upTo) return;
    }
    this.again = true; // more pages: go on in the next round
  }

  /** From the earliest order waiting (or the cursor, if earlier) to the end; advances the cursor as it goes. */
  private async replay(r: ReplaySet): Promise<void> {
    let from = Math.min(r.from, this.applied ?? this.floor);
    r.begin();
    let complete = false;
    try {
      while (!this.stopped) {
        const { transactions, last } = await this.src.since(from);
        const txs = transactions.sort(byId);
        for (const tx of txs) {
          const n = Number(tx.id);
          this.src.apply(tx);
          if (this.applied === null || n > this.applied) this.applied = n;
          from = Math.max(from, n);
        }
        if (txs.length === 0 || from >= last) {
          complete = true;
          break;
        }
      }
    } finally {
      r.end(complete);
    }
  }
}

export const byId = (a: Transaction, b: Transaction) => Number(a.id) - Number(b.id);
