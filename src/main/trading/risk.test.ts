import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { OrderRequestSchema } from '../../shared/trading';
import type { TradingDesk } from './desk';
import { limitsFor } from './limits';
import { oid, testDesk } from './test-support';

const desks: TradingDesk[] = [];
afterEach(() => desks.splice(0).forEach((d) => d.stop()));

type Op =
  | { op: 'place'; side: 'buy' | 'sell'; type: 'limit' | 'market'; lots: number; offset: number; tif: 'GTC' | 'IOC' }
  | { op: 'trade'; offset: number; lots: number; aggressor: 0 | 1 }
  | { op: 'cancel'; pick: number }
  | { op: 'limits'; maxOrderQty: number; maxPosition: number; maxOpenOrders: number; maxOrderNotional: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('place' as const), side: fc.constantFrom('buy' as const, 'sell' as const), type: fc.constantFrom('limit' as const, 'market' as const), lots: fc.integer({ min: 1, max: 4000 }), offset: fc.integer({ min: -30, max: 30 }), tif: fc.constantFrom('GTC' as const, 'IOC' as const) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('trade' as const), offset: fc.integer({ min: -5, max: 5 }), lots: fc.integer({ min: 1, max: 3000 }), aggressor: fc.constantFrom<0 | 1>(0, 1) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('cancel' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('limits' as const), maxOrderQty: fc.integer({ min: 1, max: 5 }), maxPosition: fc.integer({ min: 1, max: 8 }), maxOpenOrders: fc.integer({ min: 1, max: 10 }), maxOrderNotional: fc.integer({ min: 100, max: 600 }) }) },
);

describe('pre-trade risk and positions (property)', () => {
  it('no accepted order ever breaches a limit, and positions always equal the sum of fills', () => {
    let accepted = 0;
    let filled = 0;
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 60 }), (ops) => {
        let clock = 1_700_000_000_000;
        const { desk: d, book } = testDesk({ now: () => (clock += 7), limits: { maxOrdersPerSecond: 1000 } });
        desks.push(d);
        d.risk.limits = { ...d.risk.limits, defaults: { maxOrderQty: 3, maxOrderNotional: 400, priceBandBps: 100, maxPosition: 5 }, maxOpenOrders: 6, maxOrdersPerSecond: 1000 };
        for (const op of ops) {
          if (op.op === 'limits') {
            d.risk.limits = { ...d.risk.limits, defaults: { maxOrderQty: op.maxOrderQty, maxOrderNotional: op.maxOrderNotional, priceBandBps: 100, maxPosition: op.maxPosition }, maxOpenOrders: op.maxOpenOrders };
            continue;
          }
          if (op.op === 'trade') {
            d.onTrade(book, 10000 + op.offset, op.lots, op.aggressor);
            continue;
          }
          if (op.op === 'cancel') {
            const open = [...d.orders.values()].filter((o) => o.isOpen);
            if (open.length) d.cancel(open[op.pick % open.length]!.id);
            continue;
          }
          // what the desk knew before the order: to check the limits in force against it
          const limits = limitsFor(d.risk.limits, 'BTC-USD');
          const maxOpen = d.risk.limits.maxOpenOrders;
          const pos = [...d.exposure.positions.values()][0]?.qty ?? 0;
          const open = [...d.orders.values()].filter((o) => o.isOpen);
          const pendingBuy = open.filter((o) => o.req.side === 'buy').reduce((n, o) => n + o.remainingLots / 1000, 0);
          const pendingSell = open.filter((o) => o.req.side === 'sell').reduce((n, o) => n + o.remainingLots / 1000, 0);
          const price = op.type === 'limit' ? ((10000 + op.offset) / 100).toFixed(2) : undefined;
          const req = OrderRequestSchema.parse({ clientOrderId: oid('p'), venue: 'paper-test', symbol: 'BTC-USD', side: op.side, type: op.type, qty: (op.lots / 1000).toFixed(3), price, tif: op.type === 'market' ? 'IOC' : op.tif });
          const r = d.place(req);
          if (!r.ok) continue;
          const o = d.orders.get(req.clientOrderId)!;
          if (o.state === 'rejected') {
            expect(o.reason).toMatch(/^(maxOrderQty|maxOrderNotional|priceBand|maxPosition|maxOpenOrders|maxGrossExposure|price|dailyLossLimit|maxOrdersPerSecond): /);
            continue;
          }
          accepted++;
          const qty = op.lots / 1000;
          const px = op.type === 'limit' ? (10000 + op.offset) / 100 : book.book.bestPrice(op.side === 'buy' ? 1 : 0) / 100;
          expect(qty).toBeLessThanOrEqual(limits.maxOrderQty!);
          expect(qty * px).toBeLessThanOrEqual(limits.maxOrderNotional! + 1e-9);
          expect(open.length + 1).toBeLessThanOrEqual(maxOpen);
          const worst = op.side === 'buy' ? pos + pendingBuy + qty : pos - pendingSell - qty;
          expect(Math.abs(worst)).toBeLessThanOrEqual(limits.maxPosition! + 1e-9);
        }
        // risk sees every open order: one missing from the desk's open index would escape the limits
        expect(d.riskView().openOrders).toBe([...d.orders.values()].filter((o) => o.isOpen).length);
        // positions = Σ signed fills, exactly in lots
        const lots = d.fills.reduce((n, f) => n + (f.side === 'buy' ? 1 : -1) * Math.round(Number(f.qty) * 1000), 0);
        expect([...d.exposure.positions.values()].reduce((n, p) => n + p.lots, 0)).toBe(lots);
        filled += d.fills.length;
        d.stop();
        desks.pop();
      }),
      { numRuns: 120 },
    );
    // the property was exercised, not vacuously true
    expect(accepted).toBeGreaterThan(100);
    expect(filled).toBeGreaterThan(50);
  });

  it('names the limit and the numbers in every rejection', () => {
    const { desk: d } = testDesk({ limits: { defaults: { maxOrderQty: 2, maxOrderNotional: 1000, priceBandBps: 50 } } });
    desks.push(d);
    const place = (o: object) => {
      const req = OrderRequestSchema.parse({ clientOrderId: oid(), venue: 'paper-test', symbol: 'BTC-USD', side: 'buy', type: 'limit', qty: '1', price: '99.00', ...o });
      d.place(req);
      return d.orders.get(req.clientOrderId)!.reason;
    };
    expect(place({ qty: '3' })).toBe('maxOrderQty: quantity 3 exceeds the maximum 2 for BTC-USD');
    expect(place({ qty: '1', price: '95.00' })).toBe('priceBand: price 95 is 500 bps from the mid 100; the band is 50 bps');
    d.risk.limits = { ...d.risk.limits, defaults: { ...d.risk.limits.defaults, maxOrderQty: 100 } };
    expect(place({ qty: '20', price: '99.90' })).toBe('maxOrderNotional: notional 1998 exceeds the maximum 1000 for BTC-USD');
    d.setKillSwitch(true, 'desk drill');
    expect(place({ qty: '1', price: '99.90' })).toBe('killSwitch: kill switch engaged (desk drill); no new orders');
  });
});
