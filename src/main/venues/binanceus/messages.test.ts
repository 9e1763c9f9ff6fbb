/**
 * Message validation on recorded-shape payloads (test_data).
 * Docs: https://github.com/binance-us/binance-us-api-docs/blob/master/web-socket-streams.md
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parsePrice, precisionOf } from '../../../shared/instruments';
import { LevelScratch, bannedUntil, parseSnapshot, parseUnits, readDepth, readTrade, type DepthHeader, type Trade } from './messages';
import { testData } from './tests/rig-support';

const btc = precisionOf({ tickSize: '0.01', lotSize: '0.00001' });

describe('parseUnits', () => {
  it('agrees with the shared parsePrice on every non-negative decimal string, refusing what is beyond 2^53 (property)', () => {
    const grids = [precisionOf({ tickSize: '0.01', lotSize: '1' }), precisionOf({ tickSize: '0.05', lotSize: '1' }), precisionOf({ tickSize: '1', lotSize: '1' }), precisionOf({ tickSize: '0.00000001', lotSize: '1' })];
    const decimal = fc.tuple(fc.stringMatching(/^\d{0,9}$/), fc.option(fc.stringMatching(/^\d{0,10}$/))).map(([i, f]) => (f === null ? i : `${i}.${f}`));
    const junk = fc.oneof(decimal, fc.string(), fc.constantFrom('NaN', '-1', '1e5', '0x10', ' 1', '1,5', 'Infinity', '.', ''));
    fc.assert(
      fc.property(junk, fc.constantFrom(...grids), (text, p) => {
        let expected: number;
        try {
          expected = parsePrice(text, p);
          if (expected < 0 || Object.is(expected, -0) || !Number.isSafeInteger(expected * p.tickUnits)) expected = -1;
        } catch {
          expected = -1;
        }
        expect(parseUnits(text, p.priceDecimals, p.tickUnits)).toBe(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('reads Binance 8-decimal strings onto coarser grids and refuses off-grid, signed, huge or non-string values', () => {
    expect(parseUnits('67012.34000000', 2, 1)).toBe(6701234);
    expect(parseUnits('0.00000000', 5, 1)).toBe(0);
    expect(parseUnits('67012.34500000', 2, 1)).toBe(-1);
    expect(parseUnits('-1.00000000', 2, 1)).toBe(-1);
    expect(parseUnits('99999999999999999999.00', 2, 1)).toBe(-1);
    expect(parseUnits(67012.34, 2, 1)).toBe(-1);
    expect(parseUnits(null, 2, 1)).toBe(-1);
  });
});

describe('readDepth / readTrade on recorded-shape payloads', () => {
  it('reads a depthUpdate whole: ids, time, both sides in ticks and lots, removals as 0', () => {
    const events = testData('depth-updates.json') as Record<string, unknown>[];
    const head: DepthHeader = { E: 0, U: 0, u: 0 };
    const out = new LevelScratch();
    expect(readDepth(events[1]!, btc, head, out)).toBeNull();
    expect(head).toEqual({ E: 1718900000200, U: 2947102317, u: 2947102321 });
    expect(out.n).toBe(3);
    expect([...out.sides.slice(0, 3)]).toEqual([0, 0, 1]);
    expect([...out.prices.slice(0, 3)]).toEqual([6701234, 6701101, 6701235]);
    expect([...out.qtys.slice(0, 3)]).toEqual([20000, 0, 6000]);
  });

  it.each([
    ['a NaN price', { b: [['NaN', '1.00000000']] }, /price "NaN"/],
    ['a negative quantity', { b: [['67000.00000000', '-1.00000000']] }, /quantity "-1.00000000"/],
    ['a garbage quantity', { a: [['67000.00000000', 'abc']] }, /quantity "abc"/],
    ['an exponent', { a: [['6.7e4', '1']] }, /price "6.7e4"/],
    ['an off-grid price', { b: [['67000.001', '1']] }, /price "67000.001"/],
    ['a zero price', { b: [['0.00000000', '1']] }, /price "0.00000000"/],
    ['a numeric price', { b: [[67000, '1']] }, /price 67000/],
    ['a level that is not a pair', { b: [['67000.00']] }, /not \[price, qty\]/],
    ['sides that are not arrays', { a: 'x' }, /a is not an array/],
    ['u before U', { U: 10, u: 9 }, /U <= u/],
    ['a fractional id', { U: 1.5 }, /update ids/],
    ['no event time', { E: 'now' }, /E "now"/],
  ])('refuses %s', (_what, patch, why) => {
    const ok = { e: 'depthUpdate', E: 1, s: 'BTCUSD', U: 1, u: 2, b: [], a: [] };
    expect(readDepth({ ...ok, ...patch }, btc, { E: 0, U: 0, u: 0 }, new LevelScratch())).toMatch(why);
  });

  it('reads trades: m=true means the buyer was the maker, so the seller was the aggressor', () => {
    const [raw, wrapped] = testData('trades.json') as Record<string, any>[];
    const t: Trade = { E: 0, T: 0, id: 0, price: 0, qty: 0, aggressor: 0 };
    expect(readTrade(raw!, btc, t)).toBeNull();
    expect(t).toEqual({ E: 1718900000150, T: 1718900000149, id: 75119381, price: 6701235, qty: 1000, aggressor: 0 });
    expect(readTrade(wrapped!.data, btc, t)).toBeNull();
    expect(t.aggressor).toBe(1);
    expect(readTrade({ ...raw!, q: '0.00000000' }, btc, t)).toMatch(/quantity/);
    expect(readTrade({ ...raw!, m: 'yes' }, btc, t)).toMatch(/m "yes"/);
  });
});

describe('parseSnapshot', () => {
  it('reads GET /api/v3/depth into levels', () => {
    const snap = parseSnapshot(testData('depth-snapshot.json'), btc);
    expect(snap.lastUpdateId).toBe(2947102318);
    expect(snap.levels.n).toBe(10);
    expect(snap.levels.prices[0]).toBe(6701234);
    expect(snap.levels.qtys[0]).toBe(15320);
  });

  it('refuses a wrong shape, a garbage level, an empty level and a crossed book', () => {
    const good = testData('depth-snapshot.json') as { lastUpdateId: number; bids: string[][]; asks: string[][] };
    expect(() => parseSnapshot({ ...good, lastUpdateId: 'x' }, btc)).toThrow(/wrong shape/);
    expect(() => parseSnapshot({ ...good, bids: [['NaN', '1']] }, btc)).toThrow(/price "NaN"/);
    expect(() => parseSnapshot({ ...good, bids: [['1.00', '0.00000000']] }, btc)).toThrow(/quantity 0/);
    expect(() => parseSnapshot({ ...good, bids: [['67100.00', '1.0']] }, btc)).toThrow(/crossed/);
  });
});

it('bannedUntil reads the ban time of error -1003', () => {
  const c = testData('control.json') as Record<string, { msg: string }>;
  expect(bannedUntil(`HTTP 418 ${JSON.stringify(c.banned)}`)).toBe(1718900120000);
  expect(bannedUntil(c.rateLimited!.msg)).toBeNaN();
});
