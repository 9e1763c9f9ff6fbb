/**
 * The running sums risk reads from the desk's open orders. Tried: random sequences of orders
 * placed on two instruments (limit and market, buys and sells), filled in parts, cancelled, and
 * updated again when nothing changed. What must hold after every step: the sums equal a
 * recomputation over the open orders (lots exactly, notional to 1e-9), finished orders are gone,
 * and an instrument with no open order sums to exactly zero.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { precisionOf, priceToNumber, qtyToNumber } from '../../shared/instruments';
import { OrderRequestSchema } from '../../shared/trading';
import type { PriceTicks, Qty } from '../../shared/units';
import { OpenOrders } from './open-orders';
import { Order } from './order';

const P = precisionOf({ tickSize: '0.01', lotSize: '0.001' });
const SYMBOLS = ['BTC-USD', 'ETH-USD'] as const;
const MARK = 10_000; // ticks

type Step =
  | { op: 'place'; symbol: 0 | 1; side: 'buy' | 'sell'; lots: number; price: number | null }
  | { op: 'fill'; pick: number; lots: number }
  | { op: 'cancel'; pick: number }
  | { op: 'touch'; pick: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constant('place' as const), symbol: fc.constantFrom<0 | 1>(0, 1), side: fc.constantFrom('buy' as const, 'sell' as const), lots: fc.integer({ min: 1, max: 5000 }), price: fc.option(fc.integer({ min: 9_000, max: 11_000 }), { freq: 4 }) }),
  fc.record({ op: fc.constant('fill' as const), pick: fc.nat(), lots: fc.integer({ min: 1, max: 3000 }) }),
  fc.record({ op: fc.constant('cancel' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('touch' as const), pick: fc.nat() }),
);

let seq = 0;
function order(s: Extract<Step, { op: 'place' }>): Order {
  const req = OrderRequestSchema.parse({
    clientOrderId: `open-order-${++seq}`, venue: 'paper-test', symbol: SYMBOLS[s.symbol], side: s.side, type: s.price === null ? 'market' : 'limit',
    qty: qtyToNumber(s.lots as Qty, P).toFixed(3), price: s.price === null ? undefined : priceToNumber(s.price as PriceTicks, P).toFixed(2), tif: s.price === null ? 'IOC' : 'GTC',
  });
  const o = new Order(req, P, s.lots, s.price, null, 0);
  o.transition('pending', 0);
  return o;
}

function recompute(all: Order[], venue: string, symbol: string) {
  const open = all.filter((o) => o.isOpen);
  const mine = open.filter((o) => o.req.venue === venue && o.req.symbol === symbol);
  return {
    buyLots: mine.filter((o) => o.req.side === 'buy').reduce((n, o) => n + o.remainingLots, 0),
    sellLots: mine.filter((o) => o.req.side === 'sell').reduce((n, o) => n + o.remainingLots, 0),
    notional: open.reduce((n, o) => n + qtyToNumber(o.remainingLots as Qty, P) * priceToNumber((o.priceTicks ?? MARK) as PriceTicks, P), 0),
    size: open.length,
  };
}

describe('open orders', () => {
  it('keep the sums risk reads equal to a recomputation over the open orders, whatever happens to them', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 80 }), (steps) => {
        const open = new OpenOrders();
        const all: Order[] = [];
        for (const s of steps) {
          const live = all.filter((o) => o.isOpen);
          if (s.op === 'place') {
            const o = order(s);
            all.push(o);
            open.update(o);
          } else if (live.length > 0) {
            const o = live[s.pick % live.length]!;
            if (s.op === 'fill') o.fill(o.priceTicks ?? MARK, Math.min(s.lots, o.remainingLots), 1);
            else if (s.op === 'cancel') o.transition('cancelled', 1, 'test');
            open.update(o);
          }
          for (const symbol of SYMBOLS) {
            const want = recompute(all, 'paper-test', symbol);
            expect(open.pending('paper-test', symbol)).toEqual({ buyLots: want.buyLots, sellLots: want.sellLots });
            expect(open.workingNotional(() => MARK)).toBeCloseTo(want.notional, 6);
            expect(open.size).toBe(want.size);
          }
          expect([...open].every((o) => o.isOpen)).toBe(true);
        }
        // everything finished: exactly zero, no float residue
        for (const o of all.filter((x) => x.isOpen)) {
          o.transition('cancelled', 2, 'end');
          open.update(o);
        }
        expect(open.size).toBe(0);
        expect(open.workingNotional(() => MARK)).toBe(0);
      }),
      { numRuns: 150 },
    );
  });
});
