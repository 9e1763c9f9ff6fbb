import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { micros, qty, Side, ticks } from '../../shared/units';
import {
  Aggressor,
  BOOK_RECORD_SIZE,
  BookFlags,
  MAX_LEVELS_PER_RECORD,
  RecordKind,
  TRADE_RECORD_SIZE,
  bookAskMask,
  bookCount,
  bookExchangeTs,
  bookFlags,
  bookLevelPrice,
  bookLevelQty,
  bookLevelSide,
  bookPrevVersion,
  bookRecordsFor,
  bookRecvTs,
  bookSymbolId,
  bookVenueId,
  bookVersion,
  recordKind,
  tradeAggressor,
  tradeExchangeTs,
  tradeTradeId,
  tradePrice,
  tradeQty,
  tradeRecvTs,
  tradeSymbolId,
  tradeVenueId,
  writeBookUpdate,
  writeTrade,
  type BookUpdateHeader,
} from './records';
import { SpscRing } from './spsc-ring';

const header = (over: Partial<BookUpdateHeader> = {}): BookUpdateHeader => ({
  venueId: 7, symbolId: 0x1234, exchangeTs: micros(NaN), recvTs: micros(1_700_000_000_000_123),
  version: 42, prevVersion: 41, snapshot: false, ...over,
});

interface Level { side: number; price: number; qty: number }
interface Decoded { flags: number; count: number; version: number; levels: Level[] }

function readBook(ring: SpscRing): Decoded[] {
  const out: Decoded[] = [];
  ring.poll((off) => {
    expect(recordKind(ring, off)).toBe(RecordKind.BookDelta);
    const levels: Level[] = [];
    for (let i = 0; i < bookCount(ring, off); i++) {
      levels.push({ side: bookLevelSide(ring, off, i), price: bookLevelPrice(ring, off, i), qty: bookLevelQty(ring, off, i) });
    }
    out.push({ flags: bookFlags(ring, off), count: bookCount(ring, off), version: bookVersion(ring, off), levels });
  });
  return out;
}

describe('book delta records', () => {
  it('put every header field and level at the documented byte offsets', () => {
    // Tried: a 3-level update. Must hold: the raw bytes match docs/rings.md and the readers
    // return what was written (NaN exchange timestamp kept).
    const ring = SpscRing.create({ slotSize: BOOK_RECORD_SIZE, capacity: 4 });
    const ok = writeBookUpdate(ring, header(), [Side.Bid, Side.Ask, Side.Ask], [100, 101, 102], [5, 0, 2.5], 3);
    expect(ok).toBe(true);
    let seen = 0;
    ring.poll((off) => {
      seen++;
      const v = ring.view;
      expect([v.getUint8(off), v.getUint8(off + 1), v.getUint8(off + 2), v.getUint8(off + 3)]).toEqual([1, 0, 3, 7]);
      expect(v.getUint16(off + 4, true)).toBe(0x1234);
      expect(v.getUint16(off + 6, true)).toBe(0b110);
      expect(v.getFloat64(off + 8, true)).toBeNaN();
      expect(v.getFloat64(off + 16, true)).toBe(1_700_000_000_000_123);
      expect([v.getFloat64(off + 24, true), v.getFloat64(off + 32, true)]).toEqual([42, 41]);
      expect([v.getFloat64(off + 40, true), v.getFloat64(off + 48, true)]).toEqual([100, 5]);
      expect([v.getFloat64(off + 72, true), v.getFloat64(off + 80, true)]).toEqual([102, 2.5]);
      expect(v.getFloat64(off + 248, true)).toBe(0);
      expect([bookVenueId(ring, off), bookSymbolId(ring, off), bookAskMask(ring, off)]).toEqual([7, 0x1234, 0b110]);
      expect(bookExchangeTs(ring, off)).toBeNaN();
      expect([bookRecvTs(ring, off), bookPrevVersion(ring, off)]).toEqual([1_700_000_000_000_123, 41]);
      expect([0, 1, 2].map((i) => bookLevelSide(ring, off, i))).toEqual([Side.Bid, Side.Ask, Side.Ask]);
    });
    expect(seen).toBe(1);
  });

  it('split an update into ceil(count/13) records, CONTINUED on all but the last', () => {
    // Tried: any level count 0..60, snapshot or not. Must hold: the records concatenate back
    // to the input levels, a 0-level update is one record, SNAPSHOT is on every record of a
    // snapshot, and all records carry the update's version.
    fc.assert(
      fc.property(
        fc.array(fc.record({ side: fc.constantFrom(0, 1), price: fc.integer({ min: -1e6, max: 1e9 }), qty: fc.double({ min: 0, max: 1e9, noNaN: true }) }), { maxLength: 60 }),
        fc.boolean(),
        (levels, snapshot) => {
          const ring = SpscRing.create({ slotSize: BOOK_RECORD_SIZE, capacity: 8 });
          const n = levels.length;
          const ok = writeBookUpdate(ring, header({ snapshot }), levels.map((l) => l.side), new Float64Array(levels.map((l) => l.price)), levels.map((l) => l.qty), n);
          expect(ok).toBe(true);
          const recs = readBook(ring);
          expect(recs.length).toBe(Math.max(1, Math.ceil(n / MAX_LEVELS_PER_RECORD)));
          recs.forEach((r, i) => {
            const continued = i < recs.length - 1 ? BookFlags.Continued : 0;
            expect(r.flags).toBe((snapshot ? BookFlags.Snapshot : 0) | continued);
            expect(r.version).toBe(42);
          });
          expect(recs.flatMap((r) => r.levels)).toEqual(levels);
        },
      ),
    );
  });

  it('refuse an update that does not fit, writing and publishing nothing of it', () => {
    // Tried: 30 levels (3 records) into a 4-slot ring holding 2 unread records.
    // Must hold: false, nothing new visible or claimed, the 2 old records intact; once there is
    // room the same update goes through whole; an update larger than the ring throws.
    const ring = SpscRing.create({ slotSize: BOOK_RECORD_SIZE, capacity: 4 });
    const sides = new Uint8Array(30);
    const prices = Float64Array.from({ length: 30 }, (_, i) => 1000 + i);
    const qtys = new Float64Array(30).fill(1);
    expect(writeBookUpdate(ring, header({ version: 1 }), sides, prices, qtys, 1)).toBe(true);
    expect(writeBookUpdate(ring, header({ version: 2 }), sides, prices, qtys, 2)).toBe(true);
    expect(writeBookUpdate(ring, header({ version: 3 }), sides, prices, qtys, 30)).toBe(false);
    ring.countOverflow();
    expect([ring.available(), ring.free(), ring.overflows()]).toEqual([2, 2, 1]);
    expect(readBook(ring).map((r) => [r.version, r.count])).toEqual([[1, 1], [2, 2]]);
    expect(writeBookUpdate(ring, header({ version: 3 }), sides, prices, qtys, 30)).toBe(true);
    expect(readBook(ring).map((r) => [r.version, r.count, r.flags])).toEqual([[3, 13, 2], [3, 13, 2], [3, 4, 0]]);
    expect(() => writeBookUpdate(ring, header(), new Uint8Array(80), new Float64Array(80), new Float64Array(80), 80)).toThrow(/never fit/);
    expect(bookRecordsFor(0)).toBe(1);
  });

  it('reject ids and counts that do not fit their fields', () => {
    const ring = SpscRing.create({ slotSize: BOOK_RECORD_SIZE, capacity: 4 });
    expect(() => writeBookUpdate(ring, header({ venueId: 256 }), [], [], [], 0)).toThrow(/venueId/);
    expect(() => writeBookUpdate(ring, header({ symbolId: 70_000 }), [], [], [], 0)).toThrow(/symbolId/);
    expect(() => writeBookUpdate(ring, header(), [0], [1], [1], 2)).toThrow(/count/);
    const small = SpscRing.create({ slotSize: TRADE_RECORD_SIZE, capacity: 4 });
    expect(() => writeBookUpdate(small, header(), [], [], [], 0)).toThrow(/too small/);
    expect(ring.available()).toBe(0);
  });
});

describe('trade records', () => {
  it('round-trip every field at the documented offsets and refuse when the ring is full', () => {
    // Tried: two trades into a 2-slot ring of 128-byte slots, then a third.
    // Must hold: readers return the written values (NaN trade id kept), reserved bytes are 0,
    // and the third write returns false leaving the first two intact.
    const ring = SpscRing.create({ slotSize: TRADE_RECORD_SIZE, capacity: 2 });
    ring.bytes.fill(0xff);
    const t = { venueId: 9, symbolId: 65535, exchangeTs: micros(1_700_000_000_000_001), recvTs: micros(1_700_000_000_000_002), tradeId: 123456789012, aggressor: Aggressor.Sell, price: ticks(-5), qty: qty(0.25) };
    expect(writeTrade(ring, t)).toBe(true);
    expect(writeTrade(ring, { ...t, tradeId: NaN, aggressor: Aggressor.Buy })).toBe(true);
    expect(writeTrade(ring, t)).toBe(false);
    const got: unknown[][] = [];
    ring.poll((off) => {
      expect(recordKind(ring, off)).toBe(RecordKind.Trade);
      expect([ring.bytes[off + 2], ring.view.getUint16(off + 6, true)]).toEqual([0, 0]);
      expect(ring.bytes.subarray(off + 48, off + 128).every((b) => b === 0)).toBe(true);
      expect(ring.view.getFloat64(off + 32, true)).toBe(-5);
      got.push([tradeAggressor(ring, off), tradeVenueId(ring, off), tradeSymbolId(ring, off), tradeExchangeTs(ring, off), tradeRecvTs(ring, off), tradeTradeId(ring, off), tradePrice(ring, off), tradeQty(ring, off)]);
    });
    expect(got).toEqual([
      [1, 9, 65535, 1_700_000_000_000_001, 1_700_000_000_000_002, 123456789012, -5, 0.25],
      [0, 9, 65535, 1_700_000_000_000_001, 1_700_000_000_000_002, NaN, -5, 0.25],
    ]);
  });
});
