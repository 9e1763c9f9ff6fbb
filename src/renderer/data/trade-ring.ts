/** A fixed-capacity ring of recent trades for one book, in typed arrays (no per-trade objects). */
export class TradeRing {
  readonly ts: Float64Array;
  readonly prices: Float64Array;
  readonly qtys: Float64Array;
  readonly ids: Float64Array;
  readonly sides: Uint8Array;
  /** Trades ever pushed; doubles as the version views poll. */
  total = 0;
  /** Local clock (ms) when the newest trade arrived. */
  lastRecvMs = 0;

  constructor(readonly capacity = 512) {
    this.ts = new Float64Array(capacity);
    this.prices = new Float64Array(capacity);
    this.qtys = new Float64Array(capacity);
    this.ids = new Float64Array(capacity);
    this.sides = new Uint8Array(capacity);
  }

  get size(): number {
    return Math.min(this.total, this.capacity);
  }

  push(ts: number, price: number, qty: number, id: number, aggressor: 0 | 1, nowMs: number): void {
    const i = this.total % this.capacity;
    this.ts[i] = ts;
    this.prices[i] = price;
    this.qtys[i] = qty;
    this.ids[i] = id;
    this.sides[i] = aggressor;
    this.total++;
    this.lastRecvMs = nowMs;
  }

  /** Slot of the `age`-th newest trade (0 = newest); -1 when there is none. */
  slot(age: number): number {
    if (age < 0 || age >= this.size) return -1;
    return (this.total - 1 - age) % this.capacity;
  }

  clear(): void {
    this.total = 0;
  }
}
