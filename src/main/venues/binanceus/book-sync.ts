/**
 * One Binance.US book kept exact, following "How to manage a local order book correctly":
 * buffer diff events, take a REST snapshot, drop events with u <= lastUpdateId, the first applied
 * event must straddle lastUpdateId+1 (U <= L+1 <= u), then every event's U must be the previous
 * u+1; anything else restarts the procedure. Quantities are absolute; 0 removes; a removal of an
 * absent level is normal. Levels beyond the snapshot's depth that diffs bring are kept (the docs
 * never trim), so the book is the snapshot's levels plus whatever changed since.
 * Docs: https://github.com/binance-us/binance-us-api-docs/blob/master/web-socket-streams.md#how-to-manage-a-local-order-book-correctly
 */
import type { Collector } from '../../collectors/collector';
import type { PriceTicks, Qty, Side } from '../../../shared/units';
import type { DepthHeader, LevelScratch, Snapshot } from './messages';
import type { BinanceSymbol } from './symbols';

export interface SyncHost {
  /** the book needs a snapshot: fetch one when the feed's pacing allows */
  snapshotWanted(sync: BookSync): void;
}

interface Buffered extends DepthHeader {
  sides: Uint8Array;
  prices: Float64Array;
  qtys: Float64Array;
}

export type SyncPhase = 'idle' | 'buffering' | 'live';

export class BookSync {
  phase: SyncPhase = 'idle';
  /** bumped on every (re)start; a snapshot asked for under another generation is not used */
  gen = 0;
  /** the stream is subscribed (snapshots taken before that could predate every event we see) */
  subscribed = false;
  /** when buffering started on a subscribed stream (ms), for the quiet-market fallback */
  bufferingSince = 0;
  /** restarts since the book was last live, for pacing the next snapshot */
  failures = 0;
  private buffer: Buffered[] = [];
  /** u of the last applied event, or the snapshot's lastUpdateId until the first event */
  private lastU = 0;
  private firstAfterSnapshot = false;
  private readonly tag: string;

  constructor(
    private readonly c: Collector,
    readonly id: number,
    readonly sym: BinanceSymbol,
    private readonly host: SyncHost,
    private readonly maxBuffered = 10_000,
  ) {
    this.tag = `binanceus ${sym.symbol}`;
  }

  get buffered(): number {
    return this.buffer.length;
  }

  /** A socket is open: buffer from now on. */
  begin(): void {
    this.gen++;
    this.phase = 'buffering';
    this.buffer = [];
    this.subscribed = false;
  }

  /** The venue confirmed the subscription. */
  onSubscribed(now: number): void {
    if (this.phase === 'idle') return;
    this.subscribed = true;
    this.bufferingSince = now;
    if (this.phase === 'buffering') this.host.snapshotWanted(this);
  }

  /** The socket is gone: the book is no longer exact. */
  down(reason: string): void {
    this.gen++;
    this.phase = 'idle';
    this.buffer = [];
    this.subscribed = false;
    this.c.markStale(this.id, reason);
  }

  /** One validated diff event of this book. */
  onDepth(h: DepthHeader, lv: LevelScratch): void {
    if (this.phase === 'buffering') {
      this.keep(h, lv);
      if (this.buffer.length === 1) this.host.snapshotWanted(this);
      return;
    }
    if (this.phase !== 'live') return;
    if (this.firstAfterSnapshot) {
      if (h.u <= this.lastU) return;
      if (h.U > this.lastU + 1) {
        this.fail(`first event U=${h.U} u=${h.u} does not straddle snapshot lastUpdateId+1=${this.lastU + 1}`, false, h, lv);
        return;
      }
    } else if (h.U !== this.lastU + 1) {
      this.fail(`sequence break: event U=${h.U} u=${h.u} after u=${this.lastU} (expected U=${this.lastU + 1})`, true, h, lv);
      return;
    }
    this.apply(h, lv.sides, lv.prices, lv.qtys, lv.n);
  }

  /** A message of this book could not be read: it is lost, so a live book is no longer exact. */
  invalid(reason: string): void {
    // While buffering, the hole shows up in the update ids and is handled there.
    if (this.phase === 'live') this.fail(`unreadable update (${reason})`, false);
  }

  /** A validated REST snapshot taken under this.gen. */
  onSnapshot(snap: Snapshot): void {
    if (this.phase !== 'buffering') return;
    const L = snap.lastUpdateId;
    let start = 0;
    while (start < this.buffer.length && this.buffer[start]!.u <= L) start++;
    const events = this.buffer.slice(start);
    this.buffer = events;
    if (events.length > 0 && events[0]!.U > L + 1) {
      this.retry(`snapshot lastUpdateId=${L} does not straddle the first buffered event U=${events[0]!.U} u=${events[0]!.u}; fetching a newer one`);
      return;
    }
    for (let k = 1; k < events.length; k++) {
      if (events[k]!.U !== events[k - 1]!.u + 1) {
        this.c.counters.gaps++;
        this.buffer = events.slice(k);
        this.retry(`buffered events skip from u=${events[k - 1]!.u} to U=${events[k]!.U}; fetching a new snapshot`);
        return;
      }
    }
    const lv = snap.levels;
    for (let i = 0; i < lv.n; i++) this.c.level(lv.sides[i] as Side, lv.prices[i] as PriceTicks, lv.qtys[i] as Qty);
    this.c.endUpdate(this.id, NaN, true);
    this.phase = 'live';
    this.buffer = [];
    this.lastU = L;
    this.firstAfterSnapshot = true;
    for (const ev of events) if (!this.apply(ev, ev.sides, ev.prices, ev.qtys, ev.sides.length)) return;
    this.c.log('info', `${this.tag}: book live from snapshot lastUpdateId=${L} (${lv.n} levels) and ${events.length} buffered events`, {
      symbol: this.sym.symbol, lastUpdateId: L, buffered: events.length, restarts: this.failures,
    });
    this.failures = 0;
  }

  private apply(h: DepthHeader, sides: Uint8Array, prices: Float64Array, qtys: Float64Array, n: number): boolean {
    if (this.wouldCross(sides, prices, qtys, n)) {
      this.c.counters.badMessages++;
      this.fail(`event U=${h.U} u=${h.u} would cross the book`, false);
      return false;
    }
    for (let i = 0; i < n; i++) this.c.level(sides[i] as Side, prices[i] as PriceTicks, qtys[i] as Qty);
    this.c.endUpdate(this.id, h.E * 1000);
    this.lastU = h.u;
    this.firstAfterSnapshot = false;
    return true;
  }

  /** Live book found inexact: stale, counted, and the procedure starts over (buffering `h` when it is valid). */
  private fail(reason: string, gap: boolean, h?: DepthHeader, lv?: LevelScratch): void {
    if (gap) this.c.counters.gaps++;
    this.c.markStale(this.id, reason);
    this.phase = 'buffering';
    this.buffer = [];
    if (h && lv) this.keep(h, lv);
    this.bufferingSince = Date.now();
    this.retry(`${reason}; book stale, resyncing from a new snapshot`);
  }

  private retry(reason: string): void {
    this.gen++;
    this.failures++;
    this.c.counters.resyncs++;
    this.c.log('warn', `${this.tag}: ${reason}`, { symbol: this.sym.symbol, restarts: this.failures });
    this.host.snapshotWanted(this);
  }

  private keep(h: DepthHeader, lv: LevelScratch): void {
    if (this.buffer.length >= this.maxBuffered) this.buffer.shift();
    this.buffer.push({ E: h.E, U: h.U, u: h.u, sides: lv.sides.slice(0, lv.n), prices: lv.prices.slice(0, lv.n), qtys: lv.qtys.slice(0, lv.n) });
  }

  /** Whether applying these levels would leave best bid >= best ask (the book is kept uncrossed). */
  private wouldCross(sides: Uint8Array, prices: Float64Array, qtys: Float64Array, n: number): boolean {
    const book = this.c.book(this.id);
    let maxBid = -Infinity;
    let minAsk = Infinity;
    for (let i = 0; i < n; i++) {
      if (qtys[i] === 0) continue;
      if (sides[i] === 0) maxBid = Math.max(maxBid, prices[i]!);
      else minAsk = Math.min(minAsk, prices[i]!);
    }
    const bb = book.depth(0) > 0 ? book.bestPrice(0) : -Infinity;
    const ba = book.depth(1) > 0 ? book.bestPrice(1) : Infinity;
    if (maxBid < minAsk && maxBid < ba && minAsk > bb) return false;
    return this.bestAfter(0, sides, prices, qtys, n) >= this.bestAfter(1, sides, prices, qtys, n);
  }

  /** Best price of `side` once the update is applied (±Infinity when empty); the exact path, without allocating. */
  private bestAfter(side: Side, sides: Uint8Array, prices: Float64Array, qtys: Float64Array, n: number): number {
    const better = (a: number, b: number) => (side === 0 ? a > b : a < b);
    let best = side === 0 ? -Infinity : Infinity;
    for (let i = 0; i < n; i++) {
      if (sides[i] === side && qtys[i]! > 0 && better(prices[i]!, best) && lastChange(side, prices[i]!, sides, prices, n) === i) best = prices[i]!;
    }
    const book = this.c.book(this.id);
    for (let r = 0; r < book.depth(side); r++) {
      const p = book.priceAt(side, r);
      if (lastChange(side, p, sides, prices, n) >= 0) continue;
      if (better(p, best)) best = p;
      break;
    }
    return best;
  }
}

/** Index of the last change of `price` on `side` in the update (a later one wins), or -1. */
function lastChange(side: Side, price: number, sides: Uint8Array, prices: Float64Array, n: number): number {
  for (let i = n - 1; i >= 0; i--) if (prices[i] === price && sides[i] === side) return i;
  return -1;
}
