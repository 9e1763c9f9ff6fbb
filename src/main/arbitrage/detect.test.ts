import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detect, walk, type VenueDepth } from './detect';

/** A venue book from decimal-free integers: prices in cents (2 decimals), sizes in 0.001 (3 decimals). */
function venue(name: string, bids: Array<[number, number]>, asks: Array<[number, number]>, live = true, priceDecimals = 2, sizeDecimals = 3): VenueDepth {
  return {
    venue: name,
    live,
    version: 1,
    priceDecimals,
    sizeDecimals,
    bidPx: bids.map((l) => l[0]),
    bidQty: bids.map((l) => l[1]),
    bids: bids.length,
    askPx: asks.map((l) => l[0]),
    askQty: asks.map((l) => l[1]),
    asks: asks.length,
  };
}

const zero = () => 0;

describe('detect', () => {
  // a: bid 100.10 / ask 100.20; b: bid 99.90 / ask 100.00 → buy b @ 100.00, sell a @ 100.10: 10 bps gross
  const a = venue('a', [[10010, 2000], [10005, 5000]], [[10020, 1000]]);
  const b = venue('b', [[9990, 1000]], [[10000, 1500], [10004, 3000], [10008, 1000]]);

  it('reports a gross cross with no fees, buying the cheap ask and selling the rich bid', () => {
    const { crosses, underFees } = detect('X-USD', [a, b], zero);
    expect(underFees).toBe(0);
    expect(crosses).toHaveLength(1);
    const c = crosses[0]!;
    expect(c).toMatchObject({ buyVenue: 'b', sellVenue: 'a', buyPrice: '100.00', sellPrice: '100.10', touchSize: '1.500' });
    expect(c.grossBps).toBeCloseTo(10, 9);
  });

  it('fees on both legs flip a gross cross into no opportunity', () => {
    // 10 bps gross; 4 + 5 bps of fees leave ~1 bps; 5 + 5 leave less than nothing
    expect(detect('X-USD', [a, b], (v) => (v === 'a' ? 4 : 5)).crosses).toHaveLength(1);
    const flipped = detect('X-USD', [a, b], () => 5);
    expect(flipped.crosses).toHaveLength(0);
    expect(flipped.underFees).toBe(1);
    // and so does either leg alone when it is big enough
    expect(detect('X-USD', [a, b], (v) => (v === 'b' ? 11 : 0)).crosses).toHaveLength(0);
  });

  it('walks levels on both books while the next unit is still profitable net of fees', () => {
    // no fees: asks 100.00 x1.5, 100.04 x3, 100.08 x1 vs bids 100.10 x2, 100.05 x5
    //   1.5 @ 100.00→100.10, 0.5 @ 100.04→100.10, 2.5 @ 100.04→100.05, then 100.08 > 100.05: stop
    const c = detect('X-USD', [a, b], zero).crosses[0]!;
    expect(c.size).toBe('4.500');
    expect(c.profit).toBeCloseTo(1.5 * 0.1 + 0.5 * 0.06 + 2.5 * 0.01, 9);
    expect(c.buyLevels).toBe(2);
    expect(c.sellLevels).toBe(2);
    expect(c.buyVwap).toBeCloseTo((1.5 * 100 + 3 * 100.04) / 4.5, 9);
    expect(c.sellVwap).toBeCloseTo((2 * 100.1 + 2.5 * 100.05) / 4.5, 9);
    expect(c.netBps).toBeCloseTo((c.profit / (c.buyVwap * 4.5)) * 1e4, 9);
    // with 2 bps a leg the 100.04 → 100.05 units (1 bps gross) no longer pay: 1.5 + 0.5 only
    const fee = detect('X-USD', [a, b], () => 2).crosses[0]!;
    expect(fee.size).toBe('2.000');
    const perUnit = (bid: number, ask: number) => bid * (1 - 2e-4) - ask * (1 + 2e-4);
    expect(fee.profit).toBeCloseTo(1.5 * perUnit(100.1, 100) + 0.5 * perUnit(100.1, 100.04), 9);
  });

  it('a stale book never makes an opportunity, on either side', () => {
    const staleA = { ...a, live: false };
    const staleB = { ...b, live: false };
    expect(detect('X-USD', [staleA, b], zero)).toEqual({ crosses: [], underFees: 0 });
    expect(detect('X-USD', [a, staleB], zero)).toEqual({ crosses: [], underFees: 0 });
  });

  it('compares venues with different decimals on the finer grid', () => {
    // a quotes to 2 price decimals and 3 size decimals; c to 3 and 5
    const c = venue('c', [[99_950, 100_000]], [[100_005, 250_000]], true, 3, 5);
    const out = detect('X-USD', [a, c], zero).crosses[0]!;
    expect(out).toMatchObject({ buyVenue: 'c', sellVenue: 'a', buyPrice: '100.005', sellPrice: '100.100', touchSize: '2.00000' });
    // 2 @ 100.10 then 0.5 @ 100.05, both above 100.005
    expect(out.size).toBe('2.50000');
  });

  it('touching books (bid = ask) are not crossed', () => {
    const x = venue('x', [[10000, 1000]], [[10010, 1000]]);
    const y = venue('y', [[9990, 1000]], [[10000, 1000]]);
    expect(detect('X-USD', [x, y], zero)).toEqual({ crosses: [], underFees: 0 });
  });

  it('returns every profitable pair, best net first', () => {
    const c = venue('c', [[10030, 1000]], [[10040, 1000]]);
    const out = detect('X-USD', [a, b, c], zero).crosses.map((x) => `${x.buyVenue}>${x.sellVenue}`);
    // net over the walked size: b>c 30 bps, a>c ~10 bps, b>a ~4.6 bps (its walk goes deeper)
    expect(out).toEqual(['b>c', 'a>c', 'b>a']);
  });
});

/** Books of one venue that are internally consistent: bids descending below asks ascending. */
const book = (name: string) =>
  fc
    .record({
      mid: fc.integer({ min: 9_900, max: 10_100 }),
      spread: fc.integer({ min: 1, max: 20 }),
      bidGaps: fc.array(fc.integer({ min: 1, max: 10 }), { minLength: 1, maxLength: 8 }),
      askGaps: fc.array(fc.integer({ min: 1, max: 10 }), { minLength: 1, maxLength: 8 }),
      bidQty: fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 8, maxLength: 8 }),
      askQty: fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 8, maxLength: 8 }),
      live: fc.boolean(),
    })
    .map((r) => {
      let p = r.mid;
      const bids = r.bidGaps.map((g, i): [number, number] => [(p -= i === 0 ? 0 : g), r.bidQty[i]!]);
      p = r.mid + r.spread;
      const asks = r.askGaps.map((g, i): [number, number] => [(p += i === 0 ? 0 : g), r.askQty[i]!]);
      return venue(name, bids, asks, r.live);
    });

const fees = fc.record({ a: fc.double({ min: 0, max: 30, noNaN: true }), b: fc.double({ min: 0, max: 30, noNaN: true }), c: fc.double({ min: 0, max: 30, noNaN: true }) });
const total = (qty: ArrayLike<number>, n: number) => Array.from({ length: n }, (_, i) => qty[i]!).reduce((s, q) => s + q, 0);
const units = (s: string) => Math.round(Number(s) * 1000);

describe('detect: properties', () => {
  it('every reported opportunity makes a positive net profit, from live books, within both books', () => {
    let reported = 0;
    fc.assert(
      fc.property(book('a'), book('b'), book('c'), fees, (a, b, c, f) => {
        const byName = { a, b, c };
        const { crosses } = detect('X-USD', [a, b, c], (v) => f[v as 'a']);
        reported += crosses.length;
        for (const x of crosses) {
          const buy = byName[x.buyVenue as 'a'];
          const sell = byName[x.sellVenue as 'a'];
          expect(x.profit).toBeGreaterThan(0);
          expect(x.netBps).toBeGreaterThan(0);
          expect(x.netBps).toBeLessThanOrEqual(x.grossBps + 1e-9);
          expect(buy.live && sell.live).toBe(true);
          expect(sell.bidPx[0]!).toBeGreaterThan(buy.askPx[0]!);
          expect(units(x.size)).toBeGreaterThanOrEqual(units(x.touchSize));
          expect(units(x.size)).toBeLessThanOrEqual(Math.min(total(buy.askQty, buy.asks), total(sell.bidQty, sell.bids)));
        }
      }),
      { numRuns: 300 },
    );
    // the generator crosses books often enough for the property to bite
    expect(reported).toBeGreaterThan(50);
  });

  it('with no fees a pair is reported exactly when it is crossed; higher fees never report more', () => {
    fc.assert(
      fc.property(book('a'), book('b'), fc.double({ min: 0, max: 20, noNaN: true }), fc.double({ min: 0, max: 20, noNaN: true }), (a, b, lo, extra) => {
        const free = walk('X-USD', a, b, 0, 0);
        expect(free !== null && free !== 'gross').toBe(b.bidPx[0]! > a.askPx[0]!);
        const cheap = walk('X-USD', a, b, lo, lo);
        const dear = walk('X-USD', a, b, lo + extra, lo + extra);
        if (dear && dear !== 'gross') {
          expect(cheap && cheap !== 'gross').toBeTruthy();
          if (cheap && cheap !== 'gross') {
            expect(units(dear.size)).toBeLessThanOrEqual(units(cheap.size));
            expect(dear.profit).toBeLessThanOrEqual(cheap.profit + 1e-9);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
