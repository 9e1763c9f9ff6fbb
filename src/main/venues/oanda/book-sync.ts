/**
 * OANDA book sync. Each PRICE of the v20 stream carries the instrument's whole book (every
 * bucket, https://developer.oanda.com/rest-live-v20/pricing-df/), so the book IS the last PRICE:
 * it goes to the collector as one diff against the current book (vanished levels removed,
 * changed sizes set), and as a snapshot after (re)connect or whenever the book was stale.
 *
 * No sequence numbers: a missed PRICE heals with the next one. Per instrument `time` only goes
 * forward: an older PRICE is dropped, a repeat of the last is a no-op. `tradeable: false` (market
 * closed) holds the book stale until tradeable again. A line that cannot be read and names no
 * instrument may have been any book's: the caller restarts the stream (a fresh snapshot of each).
 */
import type { Collector } from '../../collectors/collector';
import type { PriceTicks, Qty, Side } from '../../../shared/units';
import { isTradeable, readLine, rfc3339Micros, SideLevels, type PriceMessage } from './messages';
import type { OandaInstrument } from './symbols';

interface BookState {
  id: number;
  inst: OandaInstrument;
  /** the collector's book is not exact: the next good PRICE goes out as a snapshot */
  stale: boolean;
  staleReason: string;
  closed: boolean;
  /** µs of the last PRICE applied on this connection */
  lastTime: number;
  snapshots: number;
}

/** What the caller must do after a line. */
export type LineOutcome = 'ok' | 'restart';

/** At most one line per kind per second; the rest are counted into the next line. */
class LogLimiter {
  private last = new Map<string, { at: number; muted: number }>();
  constructor(private readonly collector: Collector) {}
  warn(kind: string, msg: string): void {
    const now = Date.now();
    const e = this.last.get(kind);
    if (e && now - e.at < 1000) {
      e.muted++;
      return;
    }
    this.collector.log('warn', e?.muted ? `${msg} (+${e.muted} like it since the last line)` : msg);
    this.last.set(kind, { at: now, muted: 0 });
  }
}

export class OandaBookSync {
  private readonly books = new Map<string, BookState>();
  private readonly all: BookState[];
  private readonly bids = new SideLevels();
  private readonly asks = new SideLevels();
  private readonly logs: LogLimiter;
  private readonly unknownInstruments = new Set<string>();
  private staged = 0;

  constructor(private readonly collector: Collector, instruments: readonly OandaInstrument[]) {
    this.logs = new LogLimiter(collector);
    this.all = instruments.map((inst) => {
      const state: BookState = { id: collector.symbolId(inst.symbol), inst, stale: true, staleReason: 'no price yet', closed: false, lastTime: -Infinity, snapshots: 0 };
      this.books.set(inst.name, state);
      return state;
    });
  }

  /** A new stream: it starts with a PRICE of each instrument, each taken as a snapshot. */
  onConnect(): void {
    for (const b of this.all) {
      b.lastTime = -Infinity;
      b.stale = true;
    }
  }

  onDown(reason: string): void {
    for (const b of this.all) this.markStale(b, `connection lost: ${reason}`);
  }

  onLine(text: string): LineOutcome {
    this.collector.counters.messages++;
    const line = readLine(text);
    switch (line.kind) {
      case 'heartbeat':
        return 'ok';
      case 'price': {
        const b = this.books.get(line.msg.instrument);
        if (b) return this.onPrice(b, line.msg);
        if (!this.unknownInstruments.has(line.msg.instrument)) {
          this.unknownInstruments.add(line.msg.instrument.slice(0, 40));
          this.collector.log('warn', `oanda: PRICE for ${line.msg.instrument.slice(0, 40)}, which was not subscribed; ignored`);
        }
        return 'ok';
      }
      case 'unknown':
        this.collector.counters.badMessages++;
        this.logs.warn(`type:${line.type}`, `oanda: unknown message type "${line.type}" ignored`);
        return 'ok';
      case 'bad': {
        this.collector.counters.badMessages++;
        const b = line.instrument === undefined ? undefined : this.books.get(line.instrument);
        if (line.instrument !== undefined && !b) {
          this.logs.warn('bad-other', `oanda: bad PRICE for ${line.instrument.slice(0, 40)}, which was not subscribed (${line.why}); ignored`);
          return 'ok';
        }
        if (b) {
          this.logs.warn('bad-price', `oanda: bad PRICE for ${b.inst.symbol} (${line.why}); book stale until its next price`);
          this.markStale(b, `bad message: ${line.why}`);
          return 'ok';
        }
        this.logs.warn('bad-line', `oanda: unreadable line (${line.why}); books stale, restarting the stream`);
        for (const s of this.all) this.markStale(s, 'unreadable message');
        return 'restart';
      }
    }
  }

  private onPrice(b: BookState, m: PriceMessage): LineOutcome {
    const time = rfc3339Micros(m.time);
    const p = b.inst.precision;
    const why = Number.isNaN(time)
      ? `time "${m.time.slice(0, 40)}" is not RFC 3339`
      : (this.bids.read(m.bids, p) ?? this.asks.read(m.asks, p) ?? (this.bids.best(1) >= this.asks.best(-1) ? 'crossed: best bid at or above best ask' : null));
    if (why !== null) {
      this.collector.counters.badMessages++;
      this.logs.warn('bad-price', `oanda: bad PRICE for ${b.inst.symbol} (${why}); book stale until its next price`);
      this.markStale(b, `bad message: ${why}`);
      return 'ok';
    }
    if (time < b.lastTime) {
      this.collector.counters.gaps++;
      this.logs.warn('old-price', `oanda: out-of-order PRICE for ${b.inst.symbol} (${m.time} is older than the book); dropped`);
      return 'ok';
    }
    if (!isTradeable(m)) {
      if (!b.closed) {
        b.closed = true;
        this.collector.log('info', `oanda: ${b.inst.symbol} not tradeable (market closed); book stale until it is`);
      }
      this.markStale(b, 'market closed');
      b.lastTime = time;
      return 'ok';
    }
    if (b.closed) {
      b.closed = false;
      this.collector.log('info', `oanda: ${b.inst.symbol} tradeable again`);
    }
    if (b.stale) this.snapshot(b, time);
    else if (!this.diff(b, time) && time === b.lastTime) {
      this.collector.counters.gaps++;
      this.logs.warn('dup-price', `oanda: duplicate PRICE for ${b.inst.symbol} (${m.time}); ignored`);
    }
    b.lastTime = time;
    return 'ok';
  }

  private snapshot(b: BookState, time: number): void {
    this.stageAll(0, this.bids);
    this.stageAll(1, this.asks);
    this.collector.endUpdate(b.id, time, true);
    if (b.snapshots++ > 0) this.collector.counters.resyncs++;
    b.stale = false;
    b.staleReason = '';
  }

  /** Stages what changed against the collector's book; returns whether anything did. */
  private diff(b: BookState, time: number): boolean {
    this.staged = 0;
    this.diffSide(b.id, 0, this.bids);
    this.diffSide(b.id, 1, this.asks);
    if (this.staged === 0) return false;
    this.collector.endUpdate(b.id, time);
    return true;
  }

  private diffSide(id: number, side: Side, next: SideLevels): void {
    const book = this.collector.book(id);
    const depth = book.depth(side);
    for (let r = 0; r < depth; r++) {
      const price = book.priceAt(side, r);
      if (!next.has(price)) this.stage(side, price, 0);
    }
    for (let i = 0; i < next.n; i++) {
      const price = next.prices[i]! as PriceTicks;
      if (book.qtyOf(side, price) !== next.qtys[i]) this.stage(side, price, next.qtys[i]!);
    }
  }

  private stageAll(side: Side, next: SideLevels): void {
    for (let i = 0; i < next.n; i++) this.stage(side, next.prices[i]!, next.qtys[i]!);
  }

  private stage(side: Side, price: number, qty: number): void {
    this.collector.level(side, price as PriceTicks, qty as Qty);
    this.staged++;
  }

  private markStale(b: BookState, reason: string): void {
    if (b.stale && b.staleReason === reason) return;
    b.stale = true;
    b.staleReason = reason;
    this.collector.markStale(b.id, reason);
  }
}
