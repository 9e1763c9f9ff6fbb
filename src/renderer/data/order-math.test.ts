import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { precisionOf } from '../../shared/instruments';
import { BookSide } from './book-side';
import {
  bpsFromMid,
  feeEstimate,
  lotsForNotional,
  lotsToText,
  notionalOf,
  priceTextToTicks,
  qtyTextToLots,
  snapPriceText,
  sweep,
  ticksToText,
} from './order-math';

const BTC = precisionOf({ tickSize: '0.01', lotSize: '0.00001' });
const NICKEL = precisionOf({ tickSize: '0.05', lotSize: '1' });
const SOL = precisionOf({ tickSize: '0.001', lotSize: '0.001' });

describe('tick snapping', () => {
  it('reads prices on the grid exactly', () => {
    expect(priceTextToTicks('67012.34', BTC)).toBe(6701234);
    expect(priceTextToTicks('67012.3', BTC)).toBe(6701230);
    expect(priceTextToTicks('67012', BTC)).toBe(6701200);
    expect(priceTextToTicks('.5', BTC)).toBe(50);
    expect(priceTextToTicks('67,012.34', BTC)).toBe(6701234);
  });

  it('rounds off-grid prices to the nearest tick, or down / up when asked', () => {
    expect(priceTextToTicks('67012.345', BTC)).toBe(6701235);
    expect(priceTextToTicks('67012.3449', BTC)).toBe(6701234);
    expect(priceTextToTicks('67012.349', BTC, 'down')).toBe(6701234);
    expect(priceTextToTicks('67012.341', BTC, 'up')).toBe(6701235);
    expect(priceTextToTicks('1.02', NICKEL)).toBe(20);
    expect(priceTextToTicks('1.03', NICKEL)).toBe(21);
    expect(priceTextToTicks('1.07', NICKEL, 'down')).toBe(21);
    expect(snapPriceText('1.07', NICKEL)).toBe('1.05');
    expect(snapPriceText('1.08', NICKEL)).toBe('1.10');
    expect(snapPriceText('149.9996', SOL)).toBe('150.000');
  });

  it('rejects what is not a positive decimal', () => {
    for (const bad of ['', 'abc', '-1', '1e5', '1.2.3', '.', '123456789012345678']) expect(priceTextToTicks(bad, BTC)).toBeNaN();
    expect(qtyTextToLots('99999999999999', BTC)).toBeNaN();
    expect(snapPriceText('0.001', BTC)).toBe('');
  });

  it('a snapped price always reads back on the grid, within half a tick', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 0, max: 999 }), (units, extra) => {
        const text = `${Math.floor(units / 100)}.${String(units % 100).padStart(2, '0')}${String(extra).padStart(3, '0')}`;
        const t = priceTextToTicks(text, NICKEL);
        const exact = Number(text) / 0.05;
        expect(Math.abs(t - exact)).toBeLessThanOrEqual(0.5 + 1e-9);
        expect(priceTextToTicks(ticksToText(t, NICKEL), NICKEL)).toBe(t);
      }),
    );
  });
});

describe('lots and notional', () => {
  it('rounds quantities down to the lot', () => {
    expect(qtyTextToLots('0.01', BTC)).toBe(1000);
    expect(qtyTextToLots('0.012349', BTC)).toBe(1234);
    expect(qtyTextToLots('2.9', NICKEL)).toBe(2);
    expect(lotsToText(1234, BTC)).toBe('0.01234');
  });

  it('converts notional to whole lots at a price and back', () => {
    expect(lotsForNotional(670, priceTextToTicks('67000', BTC), BTC)).toBe(1000);
    expect(lotsForNotional(669.99, priceTextToTicks('67000', BTC), BTC)).toBe(999);
    expect(lotsForNotional(100, 0, BTC)).toBeNaN();
    expect(notionalOf(1000, 6700000, BTC)).toBeCloseTo(670, 9);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 1, max: 1_000_000 }), (ticks, notional) => {
        const lots = lotsForNotional(notional, ticks, BTC);
        expect(notionalOf(lots, ticks, BTC)).toBeLessThanOrEqual(notional * (1 + 1e-9));
        expect(notionalOf(lots + 1, ticks, BTC)).toBeGreaterThan(notional * (1 - 1e-9));
      }),
    );
  });

  it('estimates paper fees and distance from the mid', () => {
    expect(feeEstimate(10_000, 'taker')).toBeCloseTo(5, 9);
    expect(feeEstimate(10_000, 'maker')).toBeCloseTo(1, 9);
    expect(bpsFromMid(10_100, 10_000)).toBeCloseTo(100, 9);
    expect(bpsFromMid(100, NaN)).toBeNaN();
  });

  it('sweeps the far side up to the size and the limit', () => {
    const asks = new BookSide(-1);
    asks.set(101, 5);
    asks.set(102, 5);
    asks.set(104, 10);
    const levels = { get depth() { return asks.depth; }, priceAt: (r: number) => asks.priceAt(r), qtyAt: (r: number) => asks.qtyAt(r) };
    expect(sweep(levels, 8, true)).toEqual({ lots: 8, value: 5 * 101 + 3 * 102, worstTicks: 102 });
    expect(sweep(levels, 30, true, 102)).toEqual({ lots: 10, value: 5 * 101 + 5 * 102, worstTicks: 102 });
    expect(sweep(levels, 3, true, 100)).toEqual({ lots: 0, value: 0, worstTicks: NaN });
  });
});
