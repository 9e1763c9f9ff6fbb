// Coinbase Advanced Trade level2: https://docs.cdp.coinbase.com/api-reference/advanced-trade-api/websocket/level2
/**
 * The levels of one l2_data message, parsed and held until the whole message is known good:
 * only then do they reach the collector (one endUpdate per event). Also answers whether the
 * message would leave a book crossed, which the venue never sends: such a book can't be vouched for.
 */
import type { L2Book } from '../../market/l2-book';
import type { Side } from '../../../shared/units';

export class StagedLevels {
  sides = new Uint8Array(256);
  prices = new Float64Array(256);
  qtys = new Float64Array(256);
  n = 0;
  evSym: number[] = [];
  evStart: number[] = [];
  evEnd: number[] = [];
  evSnapshot: boolean[] = [];
  events = 0;

  reset(): void {
    this.n = 0;
    this.events = 0;
  }

  beginEvent(symbolId: number, snapshot: boolean): void {
    const e = this.events++;
    this.evSym[e] = symbolId;
    this.evStart[e] = this.n;
    this.evEnd[e] = this.n;
    this.evSnapshot[e] = snapshot;
  }

  push(side: Side, price: number, qty: number): void {
    if (this.n === this.sides.length) this.grow();
    this.sides[this.n] = side;
    this.prices[this.n] = price;
    this.qtys[this.n] = qty;
    this.n++;
    this.evEnd[this.events - 1] = this.n;
  }

  /** Would the book of event `e`'s symbol be crossed once events up to `e` apply to `book`? */
  wouldCross(e: number, book: L2Book): boolean {
    const sym = this.evSym[e]!;
    let first = 0;
    for (let j = e; j >= 0; j--) {
      if (this.evSym[j] === sym && this.evSnapshot[j]) {
        first = j;
        break;
      }
    }
    const base = this.evSnapshot[first] && this.evSym[first] === sym ? null : book;
    if (base !== null && !this.mayCross(base, sym, first, e)) return false;
    const bid = this.bestAfter(0, base, sym, first, e);
    const ask = this.bestAfter(1, base, sym, first, e);
    return bid >= ask;
  }

  /**
   * A cheap bound first: removals only ever make a side worse, so the book (uncrossed) can cross
   * only if some staged bid reaches the best ask or some staged ask the best bid.
   */
  private mayCross(book: L2Book, sym: number, first: number, last: number): boolean {
    let bid: number = book.bestPrice(0);
    let ask: number = book.bestPrice(1);
    for (let e = first; e <= last; e++) {
      if (this.evSym[e] !== sym) continue;
      for (let i = this.evStart[e]!; i < this.evEnd[e]!; i++) {
        if (this.qtys[i] === 0) continue;
        const p = this.prices[i]!;
        if (this.sides[i] === 0) {
          if (!(p <= bid)) bid = p;
        } else if (!(p >= ask)) ask = p;
      }
    }
    return bid >= ask;
  }

  /** Best price on `side` after events first..last of `sym` apply to `base` (null: an empty book); NaN if none. */
  private bestAfter(side: Side, base: L2Book | null, sym: number, first: number, last: number): number {
    // Compared as sign × price, so the best is the largest on either side.
    const sign = side === 0 ? 1 : -1;
    // A whole snapshot lists each level once: no later write can undo one of its entries.
    const unique = base === null && first === last;
    let best = -Infinity;
    for (let e = first; e <= last; e++) {
      if (this.evSym[e] !== sym) continue;
      for (let i = this.evStart[e]!; i < this.evEnd[e]!; i++) {
        if (this.sides[i] !== side || this.qtys[i] === 0) continue;
        const key = sign * this.prices[i]!;
        if (key > best && (unique || this.finalQty(side, this.prices[i]!, sym, i + 1, last) !== 0)) best = key;
      }
    }
    if (base !== null) {
      for (let r = 0; ; r++) {
        const p = base.priceAt(side, r);
        if (p !== p) break;
        if (this.finalQty(side, p, sym, this.evStart[first]!, last, true) === 0) continue;
        if (sign * p > best) best = sign * p;
        break;
      }
    }
    return best === -Infinity ? NaN : sign * best;
  }

  /**
   * The last staged qty for (side, price) from index `from` through event `last` of `sym`;
   * -1 when none is staged. With `deletedOnly`, only a staged removal counts (0), anything else is -1.
   */
  private finalQty(side: Side, price: number, sym: number, from: number, last: number, deletedOnly = false): number {
    for (let i = this.evEnd[last]! - 1; i >= from; i--) {
      if (this.sides[i] !== side || this.prices[i] !== price || !this.ownedBy(i, sym, last)) continue;
      return deletedOnly ? (this.qtys[i] === 0 ? 0 : -1) : this.qtys[i]!;
    }
    return -1;
  }

  private ownedBy(i: number, sym: number, last: number): boolean {
    if (this.events === 1) return true;
    for (let e = last; e >= 0; e--) if (i >= this.evStart[e]! && i < this.evEnd[e]!) return this.evSym[e] === sym;
    return false;
  }

  private grow(): void {
    const n = this.sides.length * 2;
    const sides = new Uint8Array(n);
    const prices = new Float64Array(n);
    const qtys = new Float64Array(n);
    sides.set(this.sides);
    prices.set(this.prices);
    qtys.set(this.qtys);
    this.sides = sides;
    this.prices = prices;
    this.qtys = qtys;
  }
}
