/**
 * The engine's copy of one venue's book: an L2Book plus the version it is at, whether it is
 * known to be exact, and the changes not yet published. Fed record by record from the ring;
 * a record whose prevVersion is not this book's version is a gap: the book goes stale and the
 * collector is asked for a snapshot.
 */
import { L2Book } from './l2-book';
import { DeltaTracker } from '../publisher/delta-tracker';
import { precisionOf, type Instrument, type Precision } from '../../shared/instruments';
import type { PriceTicks, Qty, Side } from '../../shared/units';

export class MarketBook {
  readonly book = new L2Book(512);
  readonly tracker = new DeltaTracker();
  readonly precision: Precision;
  version = 0;
  /** not known to be exact: before the first snapshot, after a gap, overflow or disconnect */
  stale = true;
  staleReason = 'waiting for the first snapshot';
  lastUpdateTs = NaN;
  gaps = 0;
  snapshots = 0;
  /** times the book went from exact to stale */
  staleEvents = 0;
  private skipping = false;
  private inSnapshot = false;

  constructor(readonly venue: string, readonly instrument: Pick<Instrument, 'symbol' | 'tickSize' | 'lotSize'>) {
    this.precision = precisionOf(instrument);
  }

  get symbol(): string {
    return this.instrument.symbol;
  }

  /**
   * Starts one update. Returns false when the update does not apply (a gap): its levels must be
   * skipped and the caller must ask the collector for a resync.
   */
  begin(prevVersion: number, snapshot: boolean): boolean {
    this.inSnapshot = snapshot;
    if (snapshot) {
      this.book.clear();
      this.skipping = false;
      return true;
    }
    if (this.skipping) return false;
    if (prevVersion !== this.version) {
      this.gaps++;
      this.markStale(`gap: update on version ${prevVersion}, book at ${this.version}`);
      this.skipping = true;
      return false;
    }
    return true;
  }

  level(side: Side, price: PriceTicks, qty: Qty, ts: number): void {
    this.book.apply(side, price, qty);
    // a snapshot is published whole, so its levels need no delta tracking
    if (!this.inSnapshot) this.tracker.record(side, price, qty, ts);
  }

  end(version: number, snapshot: boolean, ts: number): void {
    this.version = version;
    this.lastUpdateTs = ts;
    if (snapshot) {
      this.snapshots++;
      this.stale = false;
      this.staleReason = '';
      this.tracker.needsSnapshot = true;
    }
  }

  markStale(reason: string): void {
    if (!this.stale) {
      this.tracker.needsSnapshot = true;
      this.staleEvents++;
    }
    this.stale = true;
    this.staleReason = reason;
    this.skipping = true;
  }
}
