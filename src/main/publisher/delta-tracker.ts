/**
 * Collects a book's level changes between two publisher frames: last write per level wins.
 * One tracker per book, shared by every client in sync with it, so a delta is encoded once
 * and sent to many. Changes are kept in parallel arrays (ready to encode) indexed by a Map per
 * side, so coalescing allocates nothing once warm.
 */
import { encodeBookDelta, type LevelList } from '../../shared/frame-codec';
import type { FrameWriter } from '../../shared/frames';

class SideChanges implements LevelList {
  count = 0;
  prices = new Float64Array(64);
  qtys = new Float64Array(64);
  private index = new Map<number, number>();

  set(price: number, qty: number): void {
    const at = this.index.get(price);
    if (at !== undefined) {
      this.qtys[at] = qty;
      return;
    }
    if (this.count === this.prices.length) this.grow();
    this.index.set(price, this.count);
    this.prices[this.count] = price;
    this.qtys[this.count] = qty;
    this.count++;
  }

  clear(): void {
    this.count = 0;
    this.index.clear();
  }

  private grow(): void {
    const prices = new Float64Array(this.prices.length * 2);
    const qtys = new Float64Array(this.qtys.length * 2);
    prices.set(this.prices);
    qtys.set(this.qtys);
    this.prices = prices;
    this.qtys = qtys;
  }
}

/** One book's publishing totals since start (REST delta-stats, metrics); bumped once per frame, not per change. */
export class BookDeltaStats {
  deltas = 0;
  deltaBytes = 0;
  /** bytes a full snapshot in place of each delta would have cost */
  snapshotEquivalentBytes = 0;
  /** bytes a full snapshot per venue update would have cost */
  snapshotPerUpdateBytes = 0;
  /** venue updates the deltas covered */
  updatesCovered = 0;
  /** level changes received, and level entries sent after coalescing */
  rawChanges = 0;
  coalescedChanges = 0;
  snapshots = 0;
  snapshotBytes = 0;
  /** newest change's engine receive → send of the latest delta, µs (NaN before the first) */
  lastLatencyUs = NaN;
}

export class DeltaTracker {
  readonly stats = new BookDeltaStats();
  private readonly bids = new SideChanges();
  private readonly asks = new SideChanges();
  /** the version clients in sync hold: the one the next delta applies on */
  baseVersion = 0;
  firstTs = NaN;
  lastTs = NaN;
  /** set when changes can't be expressed as a delta (book replaced, stale flag changed) */
  needsSnapshot = true;
  /** raw level changes recorded, and level entries actually sent after coalescing */
  rawChanges = 0;

  record(side: 0 | 1, price: number, qty: number, ts: number): void {
    (side === 0 ? this.bids : this.asks).set(price, qty);
    if (Number.isNaN(this.firstTs)) this.firstTs = ts;
    this.lastTs = ts;
    this.rawChanges++;
  }

  get pending(): number {
    return this.bids.count + this.asks.count;
  }

  /** Encodes the coalesced changes as one delta from baseVersion to `version`, then starts over. */
  takeDelta(w: FrameWriter, venue: string, symbol: string, version: number, stale: boolean, sentTs: number): ArrayBuffer {
    const frame = encodeBookDelta(w, {
      venue, symbol, sentTs, stale, version, prevVersion: this.baseVersion,
      firstTs: this.firstTs, lastTs: this.lastTs, bids: this.bids, asks: this.asks,
    });
    this.reset(version);
    return frame;
  }

  /** Forgets pending changes: clients are about to get a snapshot at `version`. */
  reset(version: number): void {
    this.bids.clear();
    this.asks.clear();
    this.baseVersion = version;
    this.firstTs = NaN;
    this.lastTs = NaN;
    this.rawChanges = 0;
    this.needsSnapshot = false;
  }
}
