import { Side, type PriceTicks, type Qty } from '../../shared/units';

/**
 * Aggregated (L2) order book keyed by integer price ticks.
 *
 * Why this shape: nearly all updates land within the best ~10–20 levels, while a side holds
 * hundreds. Each side is a pair of parallel Float64Arrays sorted so that the BEST level is the
 * LAST element. Finding a level scans the last few slots linearly and only then binary-searches,
 * and inserting or removing near the touch shifts only the few levels between it and the end.
 * Arrays grow by doubling; an update allocates nothing.
 *
 * Asks store negated prices, so both sides are ascending with the best last and share one code path.
 */
export class L2Book {
  private readonly bids: BookSide;
  private readonly asks: BookSide;

  constructor(initialCapacityPerSide = 256) {
    if (!Number.isSafeInteger(initialCapacityPerSide) || initialCapacityPerSide < 1) {
      throw new RangeError(`L2Book: initial capacity must be a positive integer, got ${initialCapacityPerSide}`);
    }
    this.bids = new BookSide(initialCapacityPerSide, 1);
    this.asks = new BookSide(initialCapacityPerSide, -1);
  }

  /** Sets the level at `price` to `qty`; qty 0 removes it (a no-op when absent). Throws, leaving the book unchanged, on bad input. */
  apply(side: Side, price: PriceTicks, qty: Qty): void {
    if (!Number.isSafeInteger(price)) {
      throw new RangeError(`L2Book.apply: price must be an integer number of ticks, got ${price}`);
    }
    if (!Number.isSafeInteger(qty) || qty < 0) {
      throw new RangeError(`L2Book.apply: qty must be a non-negative integer number of lots, got ${qty}`);
    }
    const s = this.sideOf(side);
    if (qty === 0) s.remove(price);
    else s.set(price, qty);
  }

  clear(): void {
    this.bids.n = 0;
    this.asks.n = 0;
  }

  depth(side: Side): number {
    return this.sideOf(side).n;
  }

  /** NaN when that side is empty. */
  bestPrice(side: Side): PriceTicks {
    return this.priceAt(side, 0);
  }

  /** 0 when that side is empty. */
  bestQty(side: Side): Qty {
    return this.qtyAt(side, 0);
  }

  /** Rank 0 is the best level; NaN when rank is not in [0, depth). */
  priceAt(side: Side, rank: number): PriceTicks {
    const s = this.sideOf(side);
    const i = s.n - 1 - rank;
    return (rank >= 0 && i >= 0 ? s.sign * s.keys[i] : NaN) as PriceTicks;
  }

  /** 0 when rank is not in [0, depth). */
  qtyAt(side: Side, rank: number): Qty {
    const s = this.sideOf(side);
    const i = s.n - 1 - rank;
    return (rank >= 0 && i >= 0 ? s.qtys[i] : 0) as Qty;
  }

  /** 0 when there is no level at `price`. */
  qtyOf(side: Side, price: PriceTicks): Qty {
    const s = this.sideOf(side);
    const i = s.find(s.sign * price);
    return (i >= 0 ? s.qtys[i] : 0) as Qty;
  }

  /** Copies up to n best levels, best first (also bounded by the output arrays' lengths); returns how many. */
  top(side: Side, n: number, prices: Float64Array, qtys: Float64Array): number {
    const s = this.sideOf(side);
    const count = Math.max(0, Math.min(n, s.n, prices.length, qtys.length));
    const { keys, sign } = s;
    for (let r = 0, i = s.n - 1; r < count; r++, i--) {
      prices[r] = sign * keys[i];
      qtys[r] = s.qtys[i];
    }
    return count;
  }

  /** Best first. `fn` must not modify the book. */
  forEach(side: Side, fn: (price: PriceTicks, qty: Qty) => void): void {
    const s = this.sideOf(side);
    for (let i = s.n - 1; i >= 0; i--) fn((s.sign * s.keys[i]) as PriceTicks, s.qtys[i] as Qty);
  }

  /** Keeps the best `maxDepth` levels of that side and drops the rest. */
  truncate(side: Side, maxDepth: number): void {
    if (!Number.isSafeInteger(maxDepth) || maxDepth < 0) {
      throw new RangeError(`L2Book.truncate: maxDepth must be a non-negative integer, got ${maxDepth}`);
    }
    const s = this.sideOf(side);
    const drop = s.n - maxDepth;
    if (drop <= 0) return;
    s.keys.copyWithin(0, drop, s.n);
    s.qtys.copyWithin(0, drop, s.n);
    s.n = maxDepth;
  }

  isCrossed(): boolean {
    // NaN (an empty side) compares false.
    return this.bestPrice(Side.Bid) >= this.bestPrice(Side.Ask);
  }

  /** In ticks, so it may end in .5; NaN when a side is empty. */
  mid(): number {
    return (this.bestPrice(Side.Bid) + this.bestPrice(Side.Ask)) / 2;
  }

  private sideOf(side: Side): BookSide {
    return side === Side.Bid ? this.bids : this.asks;
  }
}

/**
 * Slots checked linearly from the best end before falling back to binary search. CPU time per
 * update on the bench/book-mix.ts mix: 12–24 are alike, 4 is ~10% slower, binary search alone ~25% slower.
 */
const LINEAR_SCAN = 16;
/** Up to this many elements a plain loop shifts faster than copyWithin (always copyWithin: ~30% slower per update). */
const LOOP_SHIFT_MAX = 16;

/** One side: keys (sign * price) ascending in keys[0..n), best last; qtys parallel. */
class BookSide {
  keys: Float64Array;
  qtys: Float64Array;
  n = 0;

  constructor(
    capacity: number,
    readonly sign: 1 | -1,
  ) {
    this.keys = new Float64Array(capacity);
    this.qtys = new Float64Array(capacity);
  }

  /** Index of `key`, or ~insertionIndex when absent. */
  find(key: number): number {
    const keys = this.keys;
    let i = this.n - 1;
    const stop = Math.max(-1, i - LINEAR_SCAN);
    for (; i > stop; i--) {
      const k = keys[i];
      if (k <= key) return k === key ? i : ~(i + 1);
    }
    // keys[i+1..n) are all > key: binary-search [0, i] for the first key > `key`.
    let lo = 0;
    let hi = i + 1;
    while (lo < hi) {
      const m = (lo + hi) >>> 1;
      if (keys[m] <= key) lo = m + 1;
      else hi = m;
    }
    return lo > 0 && keys[lo - 1] === key ? lo - 1 : ~lo;
  }

  set(price: number, qty: number): void {
    // `+ 0` turns a -0 price into 0, so reads (sign * key) never return -0.
    const key = this.sign * (price + 0);
    const found = this.find(key);
    if (found >= 0) {
      this.qtys[found] = qty;
      return;
    }
    const at = ~found;
    const n = this.n;
    if (n === this.keys.length) this.grow();
    const { keys, qtys } = this;
    if (n - at <= LOOP_SHIFT_MAX) {
      for (let j = n; j > at; j--) {
        keys[j] = keys[j - 1];
        qtys[j] = qtys[j - 1];
      }
    } else {
      keys.copyWithin(at + 1, at, n);
      qtys.copyWithin(at + 1, at, n);
    }
    keys[at] = key;
    qtys[at] = qty;
    this.n = n + 1;
  }

  remove(price: number): void {
    const at = this.find(this.sign * price);
    if (at < 0) return;
    const n = this.n - 1;
    const { keys, qtys } = this;
    if (n - at <= LOOP_SHIFT_MAX) {
      for (let j = at; j < n; j++) {
        keys[j] = keys[j + 1];
        qtys[j] = qtys[j + 1];
      }
    } else {
      keys.copyWithin(at, at + 1, n + 1);
      qtys.copyWithin(at, at + 1, n + 1);
    }
    this.n = n;
  }

  private grow(): void {
    const keys = new Float64Array(this.keys.length * 2);
    const qtys = new Float64Array(this.keys.length * 2);
    keys.set(this.keys);
    qtys.set(this.qtys);
    this.keys = keys;
    this.qtys = qtys;
  }
}
