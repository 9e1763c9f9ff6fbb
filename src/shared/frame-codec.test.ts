import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeFrame, encodeBookDelta, encodeBookSnapshot, encodeTrades, encodeVenueStatus, snapshotFrameBytes,
} from './frame-codec';
import { FrameError, FrameFlags, FrameType, FrameWriter, STATUS_FIELDS, VenueState, readHeader } from './frames';

const name = fc.stringMatching(/^[A-Za-z0-9-]{0,40}$/);
const level = fc.tuple(fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 0, max: 2 ** 45 }));
const levels = fc.array(level, { maxLength: 300 });
const list = (ls: [number, number][]) => ({ count: ls.length, prices: ls.map((l) => l[0]), qtys: ls.map((l) => l[1]) });

describe('frame codec', () => {
  it('round-trips book snapshots: every field and level comes back as written, in order', () => {
    const w = new FrameWriter();
    fc.assert(
      fc.property(name, name, fc.boolean(), fc.integer({ min: 0, max: 2 ** 50 }), levels, levels, (venue, symbol, stale, version, bids, asks) => {
        const precision = { priceDecimals: 2, sizeDecimals: 5, tickUnits: 1, lotUnits: 1 };
        const buf = encodeBookSnapshot(w, { venue, symbol, sentTs: 1.7e15, stale, version, precision, bids: list(bids), asks: list(asks) });
        expect(buf.byteLength).toBe(snapshotFrameBytes(venue, symbol, bids.length + asks.length));
        const f = decodeFrame(buf);
        if (f.kind !== 'book') throw new Error('expected a book frame');
        expect(f.header).toMatchObject({ type: FrameType.BookSnapshot, venue, symbol, sentTs: 1.7e15, flags: stale ? FrameFlags.Stale : 0 });
        expect(f.info.version).toBe(version);
        expect(f.info.precision).toEqual(precision);
        expect(f.bids).toEqual(bids);
        expect(f.asks).toEqual(asks);
      }),
      { numRuns: 200 },
    );
  });

  it('round-trips book deltas with versions, timestamps and removals (qty 0)', () => {
    const w = new FrameWriter();
    fc.assert(
      fc.property(name, name, fc.integer({ min: 1, max: 2 ** 50 }), fc.integer({ min: 0, max: 1000 }), levels, levels, (venue, symbol, version, back, bids, asks) => {
        const buf = encodeBookDelta(w, {
          venue, symbol, sentTs: 5, stale: false, version, prevVersion: Math.max(0, version - back), firstTs: 1, lastTs: 2, bids: list(bids), asks: list(asks),
        });
        const f = decodeFrame(buf);
        if (f.kind !== 'book') throw new Error('expected a book frame');
        expect(f.header.type).toBe(FrameType.BookDelta);
        expect(f.info).toMatchObject({ version, prevVersion: Math.max(0, version - back), firstTs: 1, lastTs: 2 });
        expect(f.bids).toEqual(bids);
        expect(f.asks).toEqual(asks);
      }),
      { numRuns: 200 },
    );
  });

  it('round-trips trades and venue status', () => {
    const w = new FrameWriter();
    const trade = fc.record({ ts: fc.integer({ min: 0, max: 2 ** 52 }), price: fc.nat(), qty: fc.nat(), id: fc.nat(), aggressor: fc.constantFrom<0 | 1>(0, 1) });
    fc.assert(
      fc.property(fc.array(trade, { maxLength: 100 }), (trades) => {
        const buf = encodeTrades(w, 'sim-a', 'BTC-USD', 9, {
          count: trades.length, ts: trades.map((t) => t.ts), prices: trades.map((t) => t.price), qtys: trades.map((t) => t.qty),
          ids: trades.map((t) => t.id), aggressors: trades.map((t) => t.aggressor),
        });
        const f = decodeFrame(buf);
        if (f.kind !== 'trades') throw new Error('expected trades');
        expect(f.trades).toEqual(trades);
      }),
    );
    const fields = Object.fromEntries(STATUS_FIELDS.map((k, i) => [k, i * 1.5])) as Record<(typeof STATUS_FIELDS)[number], number>;
    const f = decodeFrame(encodeVenueStatus(w, 'kraken', 3, VenueState.Resyncing, fields));
    expect(f).toMatchObject({ kind: 'status', state: VenueState.Resyncing, fields, header: { venue: 'kraken', symbol: '' } });
  });

  it('rejects malformed frames with a FrameError instead of reading garbage', () => {
    const w = new FrameWriter();
    const good = encodeBookSnapshot(w, {
      venue: 'sim-a', symbol: 'BTC-USD', sentTs: 0, stale: false, version: 1,
      precision: { priceDecimals: 2, sizeDecimals: 2, tickUnits: 1, lotUnits: 1 }, bids: list([[1, 1]]), asks: list([[2, 1]]),
    });
    // every truncation of a valid frame must fail loudly
    for (let n = 0; n < good.byteLength; n += 7) expect(() => decodeFrame(good.slice(0, n))).toThrow(FrameError);
    const badMagic = good.slice(0);
    new DataView(badMagic).setUint8(0, 0x51);
    expect(() => decodeFrame(badMagic)).toThrow(/magic/);
    const badVersion = good.slice(0);
    new DataView(badVersion).setUint8(1, 99);
    expect(() => decodeFrame(badVersion)).toThrow(/codec version 99/);
    const badType = good.slice(0);
    new DataView(badType).setUint8(2, 77);
    expect(() => readHeader(new DataView(badType))).toThrow(/unknown frame type 77/);
    expect(() => w.begin(FrameType.Trades, 0, 'x'.repeat(300), '', 0)).toThrow(/longer than 255/);
  });
});
