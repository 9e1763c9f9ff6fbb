import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { precisionOf } from '../../shared/instruments';
import { order } from './trading-fixtures';
import { WorkingIndex, mergeWorking } from './working-levels';

const P = precisionOf({ tickSize: '0.01', lotSize: '0.00001' });

describe('working orders by ladder row', () => {
  const orders = [
    order({ clientOrderId: 'b1-0001', side: 'buy', price: '100.00', qty: '0.01000' }),
    order({ clientOrderId: 'b2-0001', side: 'buy', price: '100.00', qty: '0.02000', filledQty: '0.00500', state: 'partially-filled' }),
    order({ clientOrderId: 'b3-0001', side: 'buy', price: '99.97', qty: '0.01000' }),
    order({ clientOrderId: 's1-0001', side: 'sell', price: '100.03', qty: '0.01000' }),
    order({ clientOrderId: 'x1-0001', side: 'sell', price: '100.05', qty: '0.01000', state: 'cancelled' }),
    order({ clientOrderId: 'e1-0001', side: 'buy', price: '100.00', symbol: 'ETH-USD' }),
    order({ clientOrderId: 'm1-0001', side: 'buy', type: 'market', price: null, state: 'pending' }),
  ];

  it('sums remaining lots per price and side, for one book, working orders only', () => {
    const w = new WorkingIndex();
    expect(w.update(orders, 1, 'sim-a', 'BTC-USD', P, 1)).toBe(true);
    expect(w.at(false, 10000)).toEqual({ lots: 1000 + 1500, ids: ['b1-0001', 'b2-0001'] });
    expect(w.at(false, 9997)!.lots).toBe(1000);
    expect(w.at(true, 10003)!.ids).toEqual(['s1-0001']);
    expect(w.at(true, 10005)).toBeUndefined();
    expect(w.bidPrices).toEqual([10000, 9997]);
    expect(w.askPrices).toEqual([10003]);
    expect(w.update(orders, 1, 'sim-a', 'BTC-USD', P, 1)).toBe(false);
  });

  it('buckets like the ladder: bids floor, asks ceil', () => {
    const w = new WorkingIndex();
    w.update(orders, 1, 'sim-a', 'BTC-USD', P, 5);
    expect(w.at(false, 10000)!.lots).toBe(2500);
    expect(w.at(false, 9995)!.lots).toBe(1000);
    expect(w.at(true, 10005)!.lots).toBe(1000);
  });

  it('adds rows for working prices the book has no level at, keeping best-first order', () => {
    let max = 6;
    const p = new Float64Array(max);
    const q = new Float64Array(max);
    const sp = new Float64Array(max * 2);
    const sq = new Float64Array(max * 2);
    // bids 100, 98, 97 (best first); our orders at 101 (inside the spread), 98 (a level) and 95 (beyond)
    p.set([100, 98, 97]);
    q.set([1, 2, 3]);
    let n = mergeWorking(p, q, 3, [101, 98, 95], false, max, sp, sq);
    expect([...p.subarray(0, n)]).toEqual([101, 100, 98, 97, 95]);
    expect([...q.subarray(0, n)]).toEqual([0, 1, 2, 3, 0]);
    // asks, a full side: the worst book rows make room, so an order far from the touch still shows
    max = 5;
    p.set([10, 11, 12, 13, 14]);
    q.set([1, 1, 1, 1, 1]);
    n = mergeWorking(p, q, 5, [9, 20], true, max, sp, sq);
    expect([...p.subarray(0, n)]).toEqual([9, 10, 11, 12, 20]);
    expect([...q.subarray(0, n)]).toEqual([0, 1, 1, 1, 0]);
    // a working price that is a book level keeps its size and needs no room
    p.set([10, 11, 12, 13, 14]);
    n = mergeWorking(p, q, 5, [12, 30], true, max, sp, sq);
    expect([...p.subarray(0, n)]).toEqual([10, 11, 12, 13, 30]);
    expect(q[2]).toBe(1);
  });

  it('keeps every working price (up to half the rows) and never more rows than asked', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 200 }), { maxLength: 12 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 200 }), { maxLength: 8 }),
        fc.boolean(),
        (book, working, isAsk) => {
          const max = 10;
          const order = (a: number, b: number) => (isAsk ? a - b : b - a);
          const levels = book.sort(order).slice(0, max);
          const extra = working.sort(order);
          const p = new Float64Array(max);
          const q = new Float64Array(max);
          p.set(levels);
          q.fill(1, 0, levels.length);
          const n = mergeWorking(p, q, levels.length, extra, isAsk, max, new Float64Array(max * 2), new Float64Array(max * 2));
          const rows = [...p.subarray(0, n)];
          expect(n).toBeLessThanOrEqual(max);
          expect(rows).toEqual([...rows].sort(order));
          expect(new Set(rows).size).toBe(n);
          for (const x of extra.slice(0, max / 2)) expect(rows).toContain(x);
        },
      ),
    );
  });
});
