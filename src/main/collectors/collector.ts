/**
 * The worker-side half of every venue connection. A venue feed parses its venue's messages and
 * calls level()/endUpdate()/trade(); this base keeps the collector's exact copy of each book,
 * stamps versions, writes records into the SAB rings, and owns what is the same for every
 * venue: overflow handling, resync from its own exact books, counters.
 *
 * A full ring never drops silently: the update is still applied to this collector's book, the
 * overflow is counted, the symbol is reported stale to the engine, and as soon as the ring has
 * room for it a full snapshot is written that replaces the engine's copy.
 */
import type { MessagePort } from 'node:worker_threads';
import { L2Book } from '../market/l2-book';
import { SpscRing } from '../rings/spsc-ring';
import { bookRecordsFor, writeBookUpdate, writeTrade } from '../rings/records';
import { nowMicros, type Micros, type PriceTicks, type Qty, type Side } from '../../shared/units';
import type { InstrumentInfo } from '../../shared/protocol';
import type { VenueStateName } from '../../shared/frames';
import type { LogLevel } from '../telemetry/log';
import { emptyCounters, type CollectorCounters, type CollectorInit, type FromCollector } from './messages';

export class Collector {
  readonly bookRing: SpscRing;
  readonly tradeRing: SpscRing;
  readonly venueIndex: number;
  private books: L2Book[] = [];
  private symbolIds = new Map<string, number>();
  private versions: number[] = [];
  private needsResync: boolean[] = [];
  /** the feed said the book is not exact; only the feed's next snapshot of it can fix that */
  private feedStale: boolean[] = [];
  private pendingResyncs = 0;
  private sides = new Uint8Array(64);
  private prices = new Float64Array(64);
  private qtys = new Float64Array(64);
  private count = 0;
  private readonly header = { venueId: 0, symbolId: 0, exchangeTs: 0, recvTs: 0, version: 0, prevVersion: 0, snapshot: false };
  private readonly tradeRec = { venueId: 0, symbolId: 0, exchangeTs: 0, recvTs: 0, tradeId: 0, aggressor: 0 as 0 | 1, price: 0, qty: 0 };
  readonly counters: CollectorCounters = emptyCounters();

  constructor(init: CollectorInit, private readonly port: MessagePort) {
    this.bookRing = SpscRing.attach(init.bookRing);
    this.tradeRing = SpscRing.attach(init.tradeRing);
    this.venueIndex = init.venueIndex;
    this.header.venueId = init.venueIndex;
    this.tradeRec.venueId = init.venueIndex;
  }

  post(message: FromCollector): void {
    this.port.postMessage(message);
  }

  /** Declares the venue's instruments; symbol ids are indexes into this list. */
  setInstruments(instruments: InstrumentInfo[]): void {
    this.symbolIds = new Map(instruments.map((inst, i) => [inst.symbol, i]));
    this.books = instruments.map(() => new L2Book(512));
    this.versions = instruments.map(() => 0);
    this.needsResync = instruments.map(() => false);
    this.feedStale = instruments.map(() => false);
    this.post({ type: 'instruments', instruments });
  }

  setState(state: VenueStateName, reason?: string): void {
    this.post({ type: 'state', state, reason });
  }

  log(level: LogLevel, msg: string, fields?: Record<string, unknown>): void {
    this.post({ type: 'log', level, msg, fields });
  }

  /**
   * The feed knows this book is no longer exact (a gap, a bad checksum, a lost connection):
   * the engine shows it stale until the feed's next snapshot of it (endUpdate with snapshot).
   */
  markStale(symbolId: number, reason: string): void {
    this.feedStale[symbolId] = true;
    this.post({ type: 'stale', symbolId, reason, version: this.versions[symbolId]! + 1 });
  }

  /** Symbol id of a canonical symbol, or -1. */
  symbolId(symbol: string): number {
    return this.symbolIds.get(symbol) ?? -1;
  }

  book(symbolId: number): L2Book {
    return this.books[symbolId]!;
  }

  level(side: Side, price: PriceTicks, qty: Qty): void {
    if (this.count === this.sides.length) this.grow();
    this.sides[this.count] = side;
    this.prices[this.count] = price;
    this.qtys[this.count] = qty;
    this.count++;
  }

  /** Forgets levels staged since the last endUpdate (a message found bad half-way). */
  discardUpdate(): void {
    this.count = 0;
  }

  /** Ends one venue update of `symbolId` made of the level() calls since the last end. */
  endUpdate(symbolId: number, exchangeTs: Micros | number, snapshot = false): void {
    const book = this.books[symbolId]!;
    if (snapshot) book.clear();
    for (let i = 0; i < this.count; i++) book.apply(this.sides[i] as Side, this.prices[i] as PriceTicks, this.qtys[i] as Qty);
    const prev = this.versions[symbolId]!;
    const version = prev + 1;
    this.versions[symbolId] = version;
    this.counters.updates++;
    if (snapshot) {
      this.feedStale[symbolId] = false;
      if (this.needsResync[symbolId]) {
        this.needsResync[symbolId] = false;
        this.pendingResyncs--;
      }
    }
    if (!this.needsResync[symbolId] && !this.feedStale[symbolId]) {
      const h = this.header;
      h.symbolId = symbolId;
      h.exchangeTs = exchangeTs;
      h.recvTs = nowMicros();
      h.version = version;
      h.prevVersion = snapshot ? 0 : prev;
      h.snapshot = snapshot;
      if (!writeBookUpdate(this.bookRing, h, this.sides, this.prices, this.qtys, this.count)) this.overflowed(symbolId);
    }
    this.count = 0;
  }

  trade(symbolId: number, aggressor: 0 | 1, price: PriceTicks, qty: Qty, exchangeTs: Micros | number, tradeId: number): void {
    const t = this.tradeRec;
    t.symbolId = symbolId;
    t.aggressor = aggressor;
    t.price = price;
    t.qty = qty;
    t.exchangeTs = exchangeTs;
    t.recvTs = nowMicros();
    t.tradeId = tradeId;
    this.counters.trades++;
    if (!writeTrade(this.tradeRing, t)) {
      // Trades are not state: a lost trade cannot be rebuilt from a snapshot, so it is counted.
      this.tradeRing.countOverflow();
      this.counters.overflows++;
    }
  }

  /** The engine saw a gap it cannot explain: rebuild its copy from ours. */
  requestResync(symbolId: number): void {
    if (symbolId < 0 || symbolId >= this.books.length || this.needsResync[symbolId]) return;
    this.needsResync[symbolId] = true;
    this.pendingResyncs++;
  }

  /** Writes pending resync snapshots while the ring has room; call once per feed tick. */
  flushResyncs(): void {
    if (this.pendingResyncs === 0) return;
    for (let id = 0; id < this.books.length; id++) {
      if (!this.needsResync[id] || this.feedStale[id]) continue;
      const book = this.books[id]!;
      const levels = book.depth(0) + book.depth(1);
      const records = bookRecordsFor(levels);
      if (records > this.bookRing.capacity) {
        this.post({ type: 'error', code: 'ring-too-small', message: `${levels} levels of symbol ${id} can never fit a ring of ${this.bookRing.capacity} records; raise rings.bookSlots`, retryable: false });
        // The engine's copy stays stale (it is not exact); stop retrying what cannot succeed.
        this.needsResync[id] = false;
        this.pendingResyncs--;
        continue;
      }
      if (!this.bookRing.hasRoom(records)) return;
      this.count = 0;
      book.forEach(0, (p, q) => this.level(0, p, q));
      book.forEach(1, (p, q) => this.level(1, p, q));
      const prev = this.versions[id]!;
      const h = this.header;
      h.symbolId = id;
      h.exchangeTs = NaN;
      h.recvTs = nowMicros();
      h.version = prev + 1;
      h.prevVersion = 0;
      h.snapshot = true;
      if (!writeBookUpdate(this.bookRing, h, this.sides, this.prices, this.qtys, this.count)) {
        this.count = 0;
        return;
      }
      this.versions[id] = prev + 1;
      this.count = 0;
      this.needsResync[id] = false;
      this.pendingResyncs--;
      this.counters.resyncs++;
    }
  }

  private overflowed(symbolId: number): void {
    this.bookRing.countOverflow();
    this.counters.overflows++;
    this.needsResync[symbolId] = true;
    this.pendingResyncs++;
    this.post({ type: 'stale', symbolId, reason: 'ring overflow', version: this.versions[symbolId]! });
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
