import { createHash } from 'node:crypto';
import { Side, type Micros, type PriceTicks, type Qty } from '../../../shared/units';
import type { SimVenue } from './sim-venue';
import type { SimSink } from './types';

type Levels = Array<[PriceTicks, Qty]>;

/** A deliberately naive book (two Maps) rebuilt only from sink events, to check the simulator against. */
export class ReplayBook {
  readonly bids = new Map<number, number>();
  readonly asks = new Map<number, number>();

  constructor(snapshot: { bids: Levels; asks: Levels }) {
    for (const [p, q] of snapshot.bids) this.bids.set(p, q);
    for (const [p, q] of snapshot.asks) this.asks.set(p, q);
  }

  side(side: Side): Map<number, number> {
    return side === Side.Bid ? this.bids : this.asks;
  }

  /** Throws unless the change is a real one: a positive integer size, or removal of a level that exists. */
  apply(side: Side, price: number, qty: number): void {
    const levels = this.side(side);
    if (!Number.isInteger(price) || price <= 0) throw new Error(`bad price ${price}`);
    if (!Number.isInteger(qty) || qty < 0) throw new Error(`bad qty ${qty} at ${price}`);
    if (qty === 0) {
      if (!levels.delete(price)) throw new Error(`removed missing level ${price}`);
    } else {
      if (levels.get(price) === qty) throw new Error(`no-op change at ${price}`);
      levels.set(price, qty);
    }
  }

  best(side: Side): number {
    let best = side === Side.Bid ? -Infinity : Infinity;
    for (const p of this.side(side).keys()) if (side === Side.Bid ? p > best : p < best) best = p;
    return best;
  }

  /** Levels on `side` strictly better than `price`. */
  rank(side: Side, price: number): number {
    let n = 0;
    for (const p of this.side(side).keys()) if (side === Side.Bid ? p > price : p < price) n++;
    return n;
  }

  toSnapshot(): { bids: Levels; asks: Levels } {
    const sorted = (m: Map<number, number>, dir: number): Levels =>
      [...m.entries()].sort((a, b) => dir * (b[0] - a[0])).map(([p, q]) => [p as PriceTicks, q as Qty]);
    return { bids: sorted(this.bids, 1), asks: sorted(this.asks, -1) };
  }
}

/** Records every sink call as numbers and hashes them. */
export class HashSink implements SimSink {
  private buf: number[] = [];
  private readonly hash = createHash('sha256');
  updates = 0;

  level(s: number, side: Side, price: PriceTicks, qty: Qty): void {
    this.buf.push(1, s, side, price, qty);
    this.flush();
  }

  endUpdate(s: number, ts: Micros): void {
    this.updates++;
    this.buf.push(2, s, ts);
    this.flush();
  }

  trade(s: number, aggressor: 0 | 1, price: PriceTicks, qty: Qty, ts: Micros, id: number): void {
    this.buf.push(3, s, aggressor, price, qty, ts, id);
    this.flush();
  }

  digest(): string {
    this.flush(true);
    return this.hash.digest('hex');
  }

  private flush(force = false): void {
    if (this.buf.length < 4096 && !force) return;
    this.hash.update(new Uint8Array(Float64Array.from(this.buf).buffer));
    this.buf = [];
  }
}

function check(ok: boolean, message: string): void {
  if (!ok) throw new Error(message);
}

/** Replays sink events onto Map books and checks every update as it goes. */
export class CheckingSink implements SimSink {
  readonly books: ReplayBook[];
  levelChanges = 0;
  nearTouch = 0;
  updates = 0;
  trades = 0;
  minDepth = Infinity;
  spreads: number[] = [];
  private lastTs = 0;
  private sawLevel = false;
  /** Traded size per price in the update under way, checked against the level change that follows. */
  private traded = new Map<number, number>();
  private tradeSide: Side | undefined;

  constructor(venue: SimVenue) {
    this.books = venue.instruments.map((_, i) => new ReplayBook(venue.snapshot(i)));
  }

  level(s: number, side: Side, price: PriceTicks, qty: Qty): void {
    const book = this.books[s];
    this.levelChanges++;
    if (book.rank(side, price) < 10) this.nearTouch++;
    const hit = side === this.tradeSide ? this.traded.get(price) : undefined;
    if (hit !== undefined) {
      check(qty === (book.side(side).get(price) ?? 0) - hit, `level ${price} is not reduced by the ${hit} traded`);
      this.traded.delete(price);
    }
    book.apply(side, price, qty);
    this.sawLevel = true;
  }

  trade(s: number, aggressor: 0 | 1, price: PriceTicks, qty: Qty, ts: Micros): void {
    const hitSide = aggressor === 0 ? Side.Ask : Side.Bid;
    const book = this.books[s];
    if (this.traded.size === 0) check(price === book.best(hitSide), `trade at ${price} is not at the touch`);
    const resting = book.side(hitSide).get(price) ?? 0;
    check(Number.isInteger(qty) && qty > 0 && qty <= resting, `trade of ${qty} against ${resting} resting`);
    check(!this.sawLevel, 'trade after a level change in the same update');
    this.traded.set(price, (this.traded.get(price) ?? 0) + qty);
    this.tradeSide = hitSide;
    this.trades++;
    check(ts >= this.lastTs, 'trade timestamp went back');
  }

  endUpdate(s: number, ts: Micros): void {
    const book = this.books[s];
    check(this.sawLevel, 'update without level changes');
    check(this.traded.size === 0, 'trade without its level change');
    const bid = book.best(Side.Bid);
    const ask = book.best(Side.Ask);
    check(bid < ask, `crossed book after update ${this.updates}: ${bid} >= ${ask}`);
    this.spreads.push(ask - bid);
    this.minDepth = Math.min(this.minDepth, book.bids.size, book.asks.size);
    check(ts >= this.lastTs, 'update timestamp went back');
    this.lastTs = ts;
    this.updates++;
    this.sawLevel = false;
    this.tradeSide = undefined;
  }
}

export const nullSink: SimSink = { level() {}, endUpdate() {}, trade() {} };
