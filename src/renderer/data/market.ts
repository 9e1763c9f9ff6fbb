import { FrameType, readHeader, type FrameHeader } from '../../shared/frames';
import { forEachTrade } from '../../shared/frame-codec';
import { BookCopy } from './book-copy';
import { CandleSet } from './candles';
import { TradeRing } from './trade-ring';
import { VenueBoard } from './venue-board';

export const bookKey = (venue: string, symbol: string): string => `${venue}\u0000${symbol}`;

/** Renderer-side counters shown in the client panel. */
export interface ClientStats {
  frames: number;
  bytes: number;
  badFrames: number;
  /** frames for books we are not subscribed to */
  strayFrames: number;
  gaps: number;
  snapshotRequests: number;
  /** engine sentTs → renderer receive, ms, smoothed (needs the two clocks to agree) */
  ageMs: number;
}

/**
 * The hot data, outside React: book copies, trade rings, candles and venue status, each with
 * version counters the views poll from their animation frame. `onFrame` is the whole data path:
 * header decode + visitors, no per-level objects, no JSON.
 */
export class Market {
  readonly books = new Map<string, BookCopy>();
  readonly trades = new Map<string, TradeRing>();
  readonly candles = new Map<string, CandleSet>();
  readonly venues = new VenueBoard();
  readonly stats: ClientStats = { frames: 0, bytes: 0, badFrames: 0, strayFrames: 0, gaps: 0, snapshotRequests: 0, ageMs: NaN };
  lastError = '';

  private tradeRing: TradeRing | null = null;
  private tradeCandles: CandleSet | null = null;
  private tradeNow = 0;
  private readonly onTrade = (ts: number, price: number, qty: number, id: number, aggressor: 0 | 1): void => {
    this.tradeRing!.push(ts, price, qty, id, aggressor, this.tradeNow);
    this.tradeCandles!.add(ts, price, qty, aggressor);
  };

  constructor(
    /** asks the engine for a fresh snapshot of one book */
    private readonly requestSnapshot: (venue: string, symbol: string) => void,
    private readonly nowMs: () => number = () => performance.now(),
    private readonly wallMicros: () => number = () => Date.now() * 1000,
  ) {}

  /** Starts keeping a book (call when subscribing). */
  track(venue: string, symbol: string): BookCopy {
    const key = bookKey(venue, symbol);
    let book = this.books.get(key);
    if (!book) {
      book = new BookCopy(venue, symbol, this.nowMs());
      this.books.set(key, book);
      this.trades.set(key, new TradeRing());
      this.candles.set(key, new CandleSet());
    }
    return book;
  }

  /** Drops a book and its trades (call when unsubscribing). */
  untrack(venue: string, symbol: string): void {
    const key = bookKey(venue, symbol);
    this.books.delete(key);
    this.trades.delete(key);
    this.candles.delete(key);
  }

  book(venue: string, symbol: string): BookCopy | undefined {
    return this.books.get(bookKey(venue, symbol));
  }

  tradeRingOf(venue: string, symbol: string): TradeRing | undefined {
    return this.trades.get(bookKey(venue, symbol));
  }

  candleSetOf(venue: string, symbol: string): CandleSet | undefined {
    return this.candles.get(bookKey(venue, symbol));
  }

  onFrame(buf: ArrayBuffer): void {
    const view = new DataView(buf);
    this.stats.frames++;
    this.stats.bytes += buf.byteLength;
    let h: FrameHeader;
    try {
      h = readHeader(view);
      this.route(view, h);
    } catch (err) {
      this.stats.badFrames++;
      this.lastError = err instanceof Error ? err.message : String(err);
      return;
    }
    const age = (this.wallMicros() - h.sentTs) / 1000;
    if (Number.isFinite(age)) this.stats.ageMs = Number.isNaN(this.stats.ageMs) ? age : this.stats.ageMs * 0.95 + age * 0.05;
  }

  /** Re-asks for snapshots that have been pending too long. Call about once a second. */
  retrySnapshots(): void {
    const now = this.nowMs();
    for (const book of this.books.values()) if (book.snapshotDue(now)) this.askSnapshot(book, now);
  }

  setLinkDown(): void {
    for (const book of this.books.values()) book.setLinkDown();
  }

  setLinkUp(): void {
    const now = this.nowMs();
    for (const book of this.books.values()) book.setLinkUp(now);
  }

  private route(view: DataView, h: FrameHeader): void {
    if (h.type === FrameType.VenueStatus) {
      this.venues.apply(view, h, this.nowMs());
      return;
    }
    const key = bookKey(h.venue, h.symbol);
    if (h.type === FrameType.Trades) {
      const ring = this.trades.get(key);
      if (!ring) {
        this.stats.strayFrames++;
        return;
      }
      this.tradeRing = ring;
      this.tradeCandles = this.candles.get(key)!;
      this.tradeNow = this.nowMs();
      forEachTrade(view, h, this.onTrade);
      return;
    }
    const book = this.books.get(key);
    if (!book) {
      this.stats.strayFrames++;
      return;
    }
    if (book.apply(view, h) === 'gap') {
      this.stats.gaps++;
      this.askSnapshot(book, this.nowMs());
    }
  }

  private askSnapshot(book: BookCopy, now: number): void {
    book.markRequested(now);
    this.stats.snapshotRequests++;
    this.requestSnapshot(book.venue, book.symbol);
  }
}
