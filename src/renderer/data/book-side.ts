/**
 * One side of the renderer's book copy: parallel Float64Arrays of keys and quantities, sorted
 * ascending by key with the BEST level LAST. Bids use key = price, asks key = -price, so both
 * sides share one code path. Updates near the touch shift only a few slots; nothing allocates
 * except growth (doubling).
 */
const LINEAR_SCAN = 8;

export class BookSide {
  keys: Float64Array;
  qtys: Float64Array;
  n = 0;

  constructor(
    readonly sign: 1 | -1,
    capacity = 256,
  ) {
    this.keys = new Float64Array(capacity);
    this.qtys = new Float64Array(capacity);
  }

  get depth(): number {
    return this.n;
  }

  /** Rank 0 is the best level; NaN outside [0, depth). */
  priceAt(rank: number): number {
    const i = this.n - 1 - rank;
    return rank >= 0 && i >= 0 ? this.sign * this.keys[i] : NaN;
  }

  /** 0 outside [0, depth). */
  qtyAt(rank: number): number {
    const i = this.n - 1 - rank;
    return rank >= 0 && i >= 0 ? this.qtys[i] : 0;
  }

  /** 0 when there is no level at `price`. */
  qtyOf(price: number): number {
    const key = this.sign * price;
    const i = this.lowerBound(key);
    return i < this.n && this.keys[i] === key ? this.qtys[i] : 0;
  }

  clear(): void {
    this.n = 0;
  }

  /** Sets the level at `price` to `qty`; qty <= 0 removes it. */
  set(price: number, qty: number): void {
    const key = this.sign * price;
    const i = this.lowerBound(key);
    const n = this.n;
    if (i < n && this.keys[i] === key) {
      if (qty > 0) {
        this.qtys[i] = qty;
      } else {
        this.keys.copyWithin(i, i + 1, n);
        this.qtys.copyWithin(i, i + 1, n);
        this.n = n - 1;
      }
      return;
    }
    if (!(qty > 0)) return;
    if (n === this.keys.length) this.grow(n + 1);
    this.keys.copyWithin(i + 1, i, n);
    this.qtys.copyWithin(i + 1, i, n);
    this.keys[i] = key;
    this.qtys[i] = qty;
    this.n = n + 1;
  }

  /** Starts a bulk load of `count` levels given best first (see loadAt / endLoad). */
  beginLoad(count: number): void {
    if (count > this.keys.length) this.grow(count);
    this.n = count;
  }

  /** Level `index` of a best-first list. */
  loadAt(index: number, price: number, qty: number): void {
    const i = this.n - 1 - index;
    this.keys[i] = this.sign * price;
    this.qtys[i] = qty;
  }

  /** Repairs a bulk load that was not strictly best-first or held empty levels (rare path). */
  endLoad(): void {
    const { keys, qtys, n } = this;
    let ok = true;
    for (let i = 0; i < n && ok; i++) ok = qtys[i] > 0 && (i === 0 || keys[i - 1] < keys[i]);
    if (ok) return;
    const k = keys.slice(0, n);
    const q = qtys.slice(0, n);
    this.n = 0;
    for (let i = 0; i < n; i++) this.set(this.sign * k[i], q[i]);
  }

  /** First index whose key is >= `key` (n when none); scans the best end first. */
  private lowerBound(key: number): number {
    const keys = this.keys;
    let i = this.n;
    const stop = Math.max(0, i - LINEAR_SCAN);
    while (i > stop && keys[i - 1] >= key) i--;
    if (i > stop || i === 0) return i;
    let lo = 0;
    let hi = i;
    while (lo < hi) {
      const m = (lo + hi) >>> 1;
      if (keys[m] < key) lo = m + 1;
      else hi = m;
    }
    return lo;
  }

  private grow(min: number): void {
    let size = Math.max(16, this.keys.length * 2);
    while (size < min) size *= 2;
    const keys = new Float64Array(size);
    const qtys = new Float64Array(size);
    keys.set(this.keys.subarray(0, this.n));
    qtys.set(this.qtys.subarray(0, this.n));
    this.keys = keys;
    this.qtys = qtys;
  }
}
