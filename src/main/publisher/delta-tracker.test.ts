import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeFrame } from '../../shared/frame-codec';
import { FrameWriter } from '../../shared/frames';
import { DeltaTracker } from './delta-tracker';

type Book = [Map<number, number>, Map<number, number>];
const apply = (book: Book, side: 0 | 1, price: number, qty: number) => (qty === 0 ? book[side].delete(price) : book[side].set(price, qty));
const copy = (b: Book): Book => [new Map(b[0]), new Map(b[1])];

describe('DeltaTracker coalescing', () => {
  it('keeps the last write per level: base book + one coalesced delta = base book + every raw change', () => {
    const change = fc.tuple(fc.constantFrom<0 | 1>(0, 1), fc.integer({ min: 100, max: 130 }), fc.integer({ min: 0, max: 5 }));
    fc.assert(
      fc.property(fc.array(change, { maxLength: 400 }), fc.array(change, { maxLength: 50 }), (raw, initial) => {
        const base: Book = [new Map(), new Map()];
        for (const [s, p, q] of initial) apply(base, s, p, q);
        const expected = copy(base);
        const tracker = new DeltaTracker();
        tracker.reset(10);
        raw.forEach(([s, p, q], i) => {
          apply(expected, s, p, q);
          tracker.record(s, p, q, 1000 + i);
        });
        const frame = decodeFrame(tracker.takeDelta(new FrameWriter(), 'v', 'A-B', 11, false, 0));
        if (frame.kind !== 'book') throw new Error('expected a book delta');
        const got = copy(base);
        for (const [p, q] of frame.bids) apply(got, 0, p, q);
        for (const [p, q] of frame.asks) apply(got, 1, p, q);
        expect(got).toEqual(expected);
        // each level appears at most once per side: the delta is coalesced, not a log
        expect(new Set(frame.bids.map((l) => l[0])).size).toBe(frame.bids.length);
        expect(new Set(frame.asks.map((l) => l[0])).size).toBe(frame.asks.length);
        expect(frame.info).toMatchObject({ prevVersion: 10, version: 11 });
        if (raw.length) expect(frame.info).toMatchObject({ firstTs: 1000, lastTs: 1000 + raw.length - 1 });
        expect(tracker.pending).toBe(0);
        expect(tracker.baseVersion).toBe(11);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a bid and an ask at the same price apart', () => {
    const t = new DeltaTracker();
    t.record(0, 100, 5, 1);
    t.record(1, 100, 7, 2);
    t.record(0, 100, 6, 3);
    const f = decodeFrame(t.takeDelta(new FrameWriter(), 'v', 'A-B', 1, false, 0));
    if (f.kind !== 'book') throw new Error('expected a book delta');
    expect(f.bids).toEqual([[100, 6]]);
    expect(f.asks).toEqual([[100, 7]]);
  });
});
