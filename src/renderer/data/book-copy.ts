import { FrameFlags, FrameType, type BookPrecision, type FrameHeader } from '../../shared/frames';
import { forEachLevel, readBookInfo } from '../../shared/frame-codec';
import { BookSide } from './book-side';

/**
 * waiting: no usable snapshot (just subscribed, or the link dropped);
 * live: in sync with the engine's versions;
 * gap: a delta did not follow our version; deltas are ignored until a snapshot arrives.
 */
export type BookSyncState = 'waiting' | 'live' | 'gap';

/** What applying a frame did; 'gap' means the caller must ask the engine for a snapshot. */
export type ApplyResult = 'snapshot' | 'applied' | 'old' | 'ignored' | 'gap';

/** Why a book must not be shown as live; null when it is live. */
export type StaleReason = 'waiting' | 'gap' | 'stale' | 'link' | null;

/** How long a book waits for a requested snapshot before asking again. */
export const SNAPSHOT_RETRY_MS = 3000;

/** The renderer's copy of one engine book, fed by BookSnapshot / BookDelta frames. Plain TS, no DOM. */
export class BookCopy {
  readonly bids = new BookSide(1);
  readonly asks = new BookSide(-1);
  sync: BookSyncState = 'waiting';
  /** The engine's version of the last applied frame (NaN before the first snapshot). */
  bookVersion = NaN;
  /** Local change counter: bumped on every visible change; views repaint when it moves. */
  version = 0;
  /** FrameFlags.Stale of the last applied frame: the engine's own copy is not known to be exact. */
  engineStale = false;
  /** Set while the link to the engine is down. */
  linkDown = false;
  precision: BookPrecision | null = null;
  snapshots = 0;
  gaps = 0;
  lastRequestMs: number;
  /** sentTs (µs) of the last applied frame. */
  lastSentTs = NaN;

  private readonly onLevel: (side: 0 | 1, price: number, qty: number) => void;
  private readonly onSnapshotLevel: (side: 0 | 1, price: number, qty: number) => void;
  private loadIndex = [0, 0];

  constructor(
    readonly venue: string,
    readonly symbol: string,
    /** when the subscription (which implies a snapshot) was sent */
    nowMs = 0,
  ) {
    this.lastRequestMs = nowMs;
    this.onLevel = (side, price, qty) => (side === 0 ? this.bids : this.asks).set(price, qty);
    this.onSnapshotLevel = (side, price, qty) => (side === 0 ? this.bids : this.asks).loadAt(this.loadIndex[side]++, price, qty);
  }

  get stale(): boolean {
    return this.staleReason !== null;
  }

  get staleReason(): StaleReason {
    if (this.linkDown) return 'link';
    if (this.sync === 'gap') return 'gap';
    if (this.sync === 'waiting') return 'waiting';
    return this.engineStale ? 'stale' : null;
  }

  /** Applies one BookSnapshot or BookDelta frame for this book. */
  apply(view: DataView, h: FrameHeader): ApplyResult {
    const info = readBookInfo(view, h);
    if (h.type === FrameType.BookSnapshot) {
      this.bids.beginLoad(info.nBids);
      this.asks.beginLoad(info.nAsks);
      this.loadIndex[0] = 0;
      this.loadIndex[1] = 0;
      forEachLevel(view, info, this.onSnapshotLevel);
      this.bids.endLoad();
      this.asks.endLoad();
      this.precision = info.precision;
      this.sync = 'live';
      this.linkDown = false;
      this.snapshots++;
      this.accept(info.version, h);
      return 'snapshot';
    }
    if (this.sync !== 'live') return 'ignored';
    if (info.version <= this.bookVersion) return 'old';
    if (info.prevVersion !== this.bookVersion) {
      this.sync = 'gap';
      this.gaps++;
      this.version++;
      return 'gap';
    }
    forEachLevel(view, info, this.onLevel);
    this.accept(info.version, h);
    return 'applied';
  }

  /** True when a snapshot should be (re)requested now. */
  snapshotDue(nowMs: number, retryMs = SNAPSHOT_RETRY_MS): boolean {
    return this.sync !== 'live' && !this.linkDown && nowMs - this.lastRequestMs >= retryMs;
  }

  markRequested(nowMs: number): void {
    this.lastRequestMs = nowMs;
  }

  /** The link dropped: keep the levels for display, but trust nothing until a new snapshot. */
  setLinkDown(): void {
    if (this.linkDown) return;
    this.linkDown = true;
    this.sync = 'waiting';
    this.version++;
  }

  /** The link is back and the subscription was replayed, which brings a snapshot. */
  setLinkUp(nowMs: number): void {
    if (!this.linkDown) return;
    this.linkDown = false;
    this.lastRequestMs = nowMs;
    this.version++;
  }

  bestBid(): number {
    return this.bids.priceAt(0);
  }

  bestAsk(): number {
    return this.asks.priceAt(0);
  }

  private accept(version: number, h: FrameHeader): void {
    this.bookVersion = version;
    this.engineStale = (h.flags & FrameFlags.Stale) !== 0;
    this.lastSentTs = h.sentTs;
    this.version++;
  }
}
