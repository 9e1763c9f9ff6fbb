import { Side, type Micros, type PriceTicks, type Qty } from '../../../shared/units';
import { BookSide } from './book-side';
import type { SimSymbolParams } from './instruments';
import type { Rng } from './rng';
import { marketSize, restingSize } from './sizes';
import type { SimSink } from './types';

/** Ranks of ordinary events are geometric with this parameter: ~97 % fall within 10 levels. */
const NEAR_P = 0.3;
const LOG_NEAR = Math.log(1 - NEAR_P);
/** Share of ordinary events at a uniformly drawn rank, so deep levels change too. */
const DEEP_SHARE = 0.12;
/** Most levels one re-centring update takes out, so the book never jumps far in one update. */
const JUMP_LEVELS = 4;
/** Gaps between levels widen by their mean once per this many ranks. */
const GAP_GROWTH_RANKS = 80;

/**
 * The L2 book of one symbol on one venue and the order flow that moves it. Each step emits
 * one book update; the book chases a target mid given by the caller, pulling harder the
 * further it lags, and keeps its depth within a band around `levels` per side.
 */
export class SymbolFlow {
  readonly bids = new BookSide(Side.Bid);
  readonly asks = new BookSide(Side.Ask);
  private sink!: SimSink;
  private ts = 0 as Micros;
  private changes = 0;
  private tradeId = 0;
  /** Mean free ticks between adjacent levels at the touch. */
  private readonly gapTicks: number;
  /** Typical price step between adjacent levels at the touch, in ticks. */
  private readonly step0: number;
  private readonly band: number;
  /** Price span of a side at the start, in ticks: the depth the book keeps. */
  private readonly span: number;

  constructor(
    readonly index: number,
    private readonly p: SimSymbolParams,
    tickSize: number,
    private readonly levels: number,
    private readonly rng: Rng,
    mid: number,
  ) {
    this.gapTicks = (p.gapBps * 1e-4 * p.startPrice) / tickSize;
    this.step0 = 1 + this.gapTicks;
    this.band = Math.max(2, Math.round(levels * 0.02));
    const bid = Math.max(1, Math.floor(mid));
    this.fill(this.bids, bid);
    this.fill(this.asks, bid + 1);
    const spanOf = (side: BookSide): number => side.dir * (side.best - side.px[0]);
    this.span = (spanOf(this.bids) + spanOf(this.asks)) / 2;
  }

  step(sink: SimSink, target: number, ts: Micros): void {
    this.sink = sink;
    this.ts = ts;
    this.changes = 0;
    const spread = this.asks.best - this.bids.best;
    const lag = target - (this.bids.best + this.asks.best) / 2;
    const size = Math.abs(lag);
    if (size > 8 * this.step0 + spread) this.jump(lag > 0, target);
    else if (this.rng.float() < Math.min(0.85, size / (3 * this.step0 + 1))) this.nudge(lag > 0, target);
    else this.ordinary();
    this.keepDepth(this.bids);
    this.keepDepth(this.asks);
    if (this.changes === 0) this.modify(this.bids, 0);
    sink.endUpdate(this.index, ts);
  }

  private ordinary(): void {
    const r = this.rng;
    const side = r.float() < 0.5 ? this.bids : this.asks;
    const spread = this.asks.best - this.bids.best;
    if (spread > 1 && r.float() < Math.min(0.5, 0.06 * (spread - 1))) {
      this.improve(side, this.insidePrice(side));
      return;
    }
    const u = r.float();
    if (u < 0.06) {
      const v = r.float();
      this.sweep(side, v < 0.8 ? 0 : v < 0.93 ? 1 : 2, v < 0.8 || r.float() < 0.6);
    } else if (u < 0.36) this.modify(side, this.rank(side));
    else if (u < 0.68) this.add(side, this.rank(side));
    else this.cancel(side, this.rank(side));
  }

  /** Moves the touch one step toward the target. */
  private nudge(up: boolean, target: number): void {
    const toward = up ? this.bids : this.asks;
    const away = up ? this.asks : this.bids;
    if (this.asks.best - this.bids.best > 1) {
      this.improve(toward, this.clampInside(up ? Math.floor(target) : Math.ceil(target)));
    } else if (this.rng.float() < 0.6) {
      this.sweep(away, 1, this.rng.float() < 0.3);
    } else if (away.length > 1) {
      this.drop(away, away.length - 1);
    }
  }

  /** Far behind the target: takes out up to JUMP_LEVELS levels on the wrong side and quotes near the target. */
  private jump(up: boolean, target: number): void {
    const toward = up ? this.bids : this.asks;
    const away = up ? this.asks : this.bids;
    let n = 0;
    while (n < JUMP_LEVELS && n < away.length - 1 && away.dir * (away.px[away.indexOf(n)] - target) > 0) n++;
    if (n > 0) {
      if (this.rng.float() < 0.5) this.sweep(away, n, false);
      else for (let k = 0; k < n; k++) this.drop(away, away.length - 1);
    }
    if (this.asks.best - this.bids.best > 1) {
      this.improve(toward, this.clampInside(up ? Math.floor(target) : Math.ceil(target)));
    }
    if (this.asks.best - this.bids.best > 2 * this.step0 + 1) {
      this.improve(away, this.clampInside(up ? Math.ceil(target) + 1 : Math.floor(target) - 1));
    }
  }

  /**
   * A market order against `hit`: takes `full` whole levels from the touch, then part of the
   * next when `partial`. Trades are emitted first, then the level changes they cause.
   */
  private sweep(hit: BookSide, full: number, partial: boolean): void {
    full = Math.min(full, hit.length - 1);
    const aggressor = hit.side === Side.Ask ? 0 : 1;
    for (let k = 0; k < full; k++) {
      const i = hit.indexOf(k);
      this.trade(aggressor, hit.px[i], hit.qx[i]);
    }
    let part = 0;
    if (partial) {
      const i = hit.indexOf(full);
      const q = hit.qx[i];
      if (q > 1) {
        part = Math.min(q - 1, this.tradeSize());
        this.trade(aggressor, hit.px[i], part);
      } else if (full < hit.length - 1) {
        full++;
        this.trade(aggressor, hit.px[i], q);
      }
    }
    for (let k = 0; k < full; k++) this.drop(hit, hit.length - 1);
    if (part > 0) this.set(hit, hit.length - 1, hit.qx[hit.length - 1] - part);
  }

  private modify(side: BookSide, rank: number): void {
    const i = side.indexOf(rank);
    const q = side.qx[i];
    let next = Math.max(1, Math.round(q * Math.exp(0.4 * this.rng.gauss())));
    if (next === q) next = q + 1;
    this.set(side, i, next);
  }

  /** A new order: joins the level at `rank`, or opens a level in the gap behind it. */
  private add(side: BookSide, rank: number): void {
    const r = this.rng;
    const i = side.indexOf(rank);
    if (i === 0) {
      if (side.length < this.levels + this.band && r.float() < 0.5) this.appendDeep(side);
      else this.set(side, 0, side.qx[0] + this.size(rank) / 2);
      return;
    }
    const free = Math.abs(side.px[i] - side.px[i - 1]) - 1;
    if (free > 0 && r.float() * (free + this.gapMean(rank)) < free) {
      const price = side.px[i] - side.dir * (1 + r.int(free));
      side.insert(i, price, this.size(rank + 1));
      this.emit(side, price, side.qx[i]);
    } else {
      this.set(side, i, side.qx[i] + this.size(rank) / 2);
    }
  }

  private cancel(side: BookSide, rank: number): void {
    const i = side.indexOf(rank);
    const q = side.qx[i];
    if (q > 1 && (side.length === 1 || this.rng.float() >= 0.3)) this.set(side, i, 1 + this.rng.int(q - 1));
    else if (side.length > 1) this.drop(side, i);
    else this.set(side, i, q + 1);
  }

  /** A new best level at `price`, which must lie strictly inside the spread. */
  private improve(side: BookSide, price: number): void {
    side.insert(side.length, price, this.size(0));
    this.emit(side, price, side.qx[side.length - 1]);
  }

  /** Mostly pennies the opposite touch, sometimes lands anywhere inside the spread. */
  private insidePrice(side: BookSide): number {
    const bid = this.bids.best;
    const ask = this.asks.best;
    if (this.rng.float() < 0.4) return bid + 1 + this.rng.int(ask - bid - 1);
    const off = 1 + Math.floor(this.rng.exp(0.7));
    return this.clampInside(side === this.bids ? ask - off : bid + off);
  }

  private clampInside(price: number): number {
    return Math.min(this.asks.best - 1, Math.max(this.bids.best + 1, price));
  }

  /**
   * Holds the level count within the band and the price span (touch to deepest) near its
   * starting value. Fixing the count at the far end alone would let a trend squeeze one side
   * and stretch the other, so extra levels come and go inside the deep half unless the span
   * itself needs correcting.
   */
  private keepDepth(side: BookSide): void {
    for (let guard = 0; guard < 64; guard++) {
      const span = side.dir * (side.best - side.px[0]);
      if (side.length > this.levels + this.band) {
        if (span > this.span) this.drop(side, 0);
        else this.dropDeepHalf(side);
      } else if (side.length < this.levels - this.band) {
        if (!(span < this.span ? this.appendDeep(side) : this.insertDeepHalf(side))) return;
      } else if (span > 1.25 * this.span) {
        this.drop(side, 0);
        this.insertDeepHalf(side);
        return;
      } else if (span < 0.8 * this.span) {
        if (this.appendDeep(side)) this.dropDeepHalf(side);
        return;
      } else {
        return;
      }
    }
  }

  private deepHalfIndex(side: BookSide): number {
    const from = side.length >> 1;
    return side.indexOf(from + this.rng.int(side.length - 1 - from));
  }

  private dropDeepHalf(side: BookSide): void {
    this.drop(side, side.length < 3 ? 0 : this.deepHalfIndex(side));
  }

  private insertDeepHalf(side: BookSide): boolean {
    if (side.length < 3) return this.appendDeep(side);
    const i = this.deepHalfIndex(side);
    const free = Math.abs(side.px[i] - side.px[i - 1]) - 1;
    if (free <= 0) return this.appendDeep(side);
    const price = side.px[i] - side.dir * (1 + this.rng.int(free));
    side.insert(i, price, this.size(side.length - 1 - i));
    this.emit(side, price, side.qx[i]);
    return true;
  }

  private appendDeep(side: BookSide): boolean {
    const price = side.px[0] - side.dir * (1 + Math.floor(this.rng.exp(this.gapMean(side.length))));
    if (price < 1) return false;
    side.insert(0, price, this.size(side.length));
    this.emit(side, price, side.qx[0]);
    return true;
  }

  private fill(side: BookSide, best: number): void {
    const prices = [best];
    while (prices.length < this.levels) {
      const price = prices[prices.length - 1] - side.dir * (1 + Math.floor(this.rng.exp(this.gapMean(prices.length))));
      if (price < 1) break;
      prices.push(price);
    }
    for (let rank = prices.length - 1; rank >= 0; rank--) side.insert(side.length, prices[rank], this.size(rank));
  }

  private rank(side: BookSide): number {
    if (this.rng.float() < DEEP_SHARE) return this.rng.int(side.length);
    const j = (Math.log(1 - this.rng.float()) / LOG_NEAR) | 0;
    return j < side.length ? j : side.length - 1;
  }

  private gapMean(rank: number): number {
    return this.gapTicks * (1 + rank / GAP_GROWTH_RANKS);
  }

  private size(rank: number): number {
    return restingSize(this.rng, this.p.baseLots, rank);
  }

  private tradeSize(): number {
    return marketSize(this.rng, this.p.baseLots);
  }

  private set(side: BookSide, i: number, qty: number): void {
    qty = Math.round(qty);
    side.qx[i] = qty;
    this.emit(side, side.px[i], qty);
  }

  private drop(side: BookSide, i: number): void {
    const price = side.px[i];
    side.remove(i);
    this.emit(side, price, 0);
  }

  private emit(side: BookSide, price: number, qty: number): void {
    this.changes++;
    this.sink.level(this.index, side.side, price as PriceTicks, qty as Qty);
  }

  private trade(aggressor: 0 | 1, price: number, qty: number): void {
    this.sink.trade(this.index, aggressor, price as PriceTicks, qty as Qty, this.ts, ++this.tradeId);
  }
}
