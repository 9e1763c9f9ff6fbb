import { describe, expect, it } from 'vitest';
import { BookCopy } from './book-copy';
import { BookSide } from './book-side';
import { delta, snapshot } from './test-frames';

function side(s: BookSide): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let r = 0; r < s.depth; r++) out.push([s.priceAt(r), s.qtyAt(r)]);
  return out;
}

describe('BookSide', () => {
  it('keeps bids descending and asks ascending, best first, and removes on qty 0', () => {
    const bids = new BookSide(1, 2);
    const asks = new BookSide(-1, 2);
    for (const p of [100, 98, 101, 99, 97, 102, 96, 95, 94, 93, 92, 91, 90]) {
      bids.set(p, p);
      asks.set(p + 50, p);
    }
    expect(side(bids).map((l) => l[0])).toEqual([102, 101, 100, 99, 98, 97, 96, 95, 94, 93, 92, 91, 90]);
    expect(side(asks).map((l) => l[0])).toEqual([140, 141, 142, 143, 144, 145, 146, 147, 148, 149, 150, 151, 152]);
    bids.set(100, 0);
    bids.set(90, 0);
    bids.set(555, 0); // absent: no-op
    bids.set(101, 7);
    expect(side(bids).slice(0, 3)).toEqual([[102, 102], [101, 7], [99, 99]]);
    expect(bids.depth).toBe(11);
    expect(bids.qtyOf(99)).toBe(99);
    expect(bids.qtyOf(100)).toBe(0);
  });

  it('repairs an unsorted bulk load', () => {
    const s = new BookSide(1);
    s.beginLoad(3);
    s.loadAt(0, 10, 1);
    s.loadAt(1, 12, 2);
    s.loadAt(2, 11, 0);
    s.endLoad();
    expect(side(s)).toEqual([[12, 2], [10, 1]]);
  });
});

describe('BookCopy', () => {
  it('replaces the book on a snapshot and applies a following delta', () => {
    const b = new BookCopy('sim', 'BTC-USD');
    expect(b.staleReason).toBe('waiting');
    const s = snapshot(10, [[100, 5], [99, 3]], [[101, 2], [102, 4]]);
    expect(b.apply(s.view, s.header)).toBe('snapshot');
    expect(b.stale).toBe(false);
    expect(b.bookVersion).toBe(10);
    expect(b.precision).toEqual({ priceDecimals: 2, sizeDecimals: 3, tickUnits: 1, lotUnits: 1 });
    const v0 = b.version;
    const d = delta(10, 11, [[100, 0], [98, 1]], [[101, 9], [100.0, 0]]);
    expect(b.apply(d.view, d.header)).toBe('applied');
    expect(b.version).toBeGreaterThan(v0);
    expect(b.bookVersion).toBe(11);
    expect(side(b.bids)).toEqual([[99, 3], [98, 1]]);
    expect(side(b.asks)).toEqual([[101, 9], [102, 4]]);
    const again = snapshot(20, [[50, 1]], []);
    b.apply(again.view, again.header);
    expect(side(b.bids)).toEqual([[50, 1]]);
    expect(b.asks.depth).toBe(0);
  });

  it('marks a gap on a delta that does not follow, ignores deltas until a snapshot, then recovers', () => {
    const b = new BookCopy('sim', 'BTC-USD', 0);
    const s = snapshot(10, [[100, 5]], [[101, 2]]);
    b.apply(s.view, s.header);
    const skip = delta(11, 12, [[100, 1]], []);
    expect(b.apply(skip.view, skip.header)).toBe('gap');
    expect(b.staleReason).toBe('gap');
    expect(b.gaps).toBe(1);
    const next = delta(12, 13, [[100, 2]], []);
    expect(b.apply(next.view, next.header)).toBe('ignored');
    expect(b.bids.qtyAt(0)).toBe(5);
    expect(b.snapshotDue(1000)).toBe(false); // the gap itself triggers the request; the caller marks it
    b.markRequested(1000);
    expect(b.snapshotDue(2000)).toBe(false);
    expect(b.snapshotDue(4000)).toBe(true);
    const fresh = snapshot(13, [[100, 2]], [[101, 2]]);
    expect(b.apply(fresh.view, fresh.header)).toBe('snapshot');
    expect(b.stale).toBe(false);
    const cont = delta(13, 14, [], [[101, 0]]);
    expect(b.apply(cont.view, cont.header)).toBe('applied');
    expect(b.asks.depth).toBe(0);
  });

  it('drops deltas already covered by the snapshot without a gap', () => {
    const b = new BookCopy('sim', 'BTC-USD');
    const s = snapshot(10, [[100, 5]], []);
    b.apply(s.view, s.header);
    const old = delta(9, 10, [[100, 1]], []);
    expect(b.apply(old.view, old.header)).toBe('old');
    expect(b.stale).toBe(false);
    expect(b.bids.qtyAt(0)).toBe(5);
  });

  it('keeps the engine STALE flag of the last frame and never reports such a book as live', () => {
    const b = new BookCopy('sim', 'BTC-USD');
    const s = snapshot(1, [[100, 5]], [], true);
    b.apply(s.view, s.header);
    expect(b.staleReason).toBe('stale');
    const d = delta(1, 2, [[100, 6]], []);
    b.apply(d.view, d.header);
    expect(b.staleReason).toBe(null);
    const d2 = delta(2, 3, [[100, 7]], [], true);
    b.apply(d2.view, d2.header);
    expect(b.stale).toBe(true);
  });

  it('shows a dropped link as stale and waits for a new snapshot', () => {
    const b = new BookCopy('sim', 'BTC-USD');
    const s = snapshot(1, [[100, 5]], []);
    b.apply(s.view, s.header);
    b.setLinkDown();
    expect(b.staleReason).toBe('link');
    b.setLinkUp(100);
    expect(b.staleReason).toBe('waiting');
    const d = delta(1, 2, [[100, 6]], []);
    expect(b.apply(d.view, d.header)).toBe('ignored');
    expect(b.bids.qtyAt(0)).toBe(5);
  });
});
