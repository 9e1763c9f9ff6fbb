import { afterEach, describe, expect, it } from 'vitest';
import type { OrderRequestInput } from '../../shared/trading';
import { OrderRequestSchema } from '../../shared/trading';
import type { TradingDesk } from './desk';
import { oid, setLevel, testDesk } from './test-support';

const desks: TradingDesk[] = [];
afterEach(() => desks.splice(0).forEach((d) => d.stop()));
function desk(opts?: Parameters<typeof testDesk>[0]) {
  const t = testDesk(opts);
  desks.push(t.desk);
  return t;
}
const order = (o: Partial<OrderRequestInput>) => OrderRequestSchema.parse({ clientOrderId: oid(), venue: 'paper-test', symbol: 'BTC-USD', side: 'buy', type: 'limit', qty: '1', ...o });

describe('paper venue', () => {
  it('fills a marketable order level by level with slippage and a taker fee', () => {
    const { desk: d } = desk();
    const r = d.place(order({ side: 'buy', qty: '2.5', price: '100.03' }));
    expect(r.ok).toBe(true);
    const o = d.orders.get((r as { order: { clientOrderId: string } }).order.clientOrderId)!.view();
    expect(o).toMatchObject({ state: 'filled', filledQty: '2.500', avgFillPrice: '100.02' });
    const fills = d.fills.map((f) => [f.price, f.qty, f.liquidity]);
    expect(fills).toEqual([['100.01', '1.000', 'taker'], ['100.02', '1.000', 'taker'], ['100.03', '0.500', 'taker']]);
    // taker fee 10 bps on each fill's notional
    expect(Number(d.fills[0]!.fee)).toBeCloseTo(100.01 * 1 * 0.001, 8);
    expect(d.positionViews()[0]).toMatchObject({ qty: '2.500', avgPrice: '100.02' });
  });

  it('rests the part of a limit order that did not fill, and IOC cancels it instead', () => {
    const { desk: d } = desk();
    const gtc = d.place(order({ side: 'sell', qty: '1.5', price: '99.99' })) as { ok: true; order: { clientOrderId: string } };
    expect(d.orders.get(gtc.order.clientOrderId)!.view()).toMatchObject({ state: 'partially-filled', filledQty: '1.000' });
    const ioc = d.place(order({ side: 'sell', qty: '1.5', price: '99.99', tif: 'IOC' })) as { ok: true; order: { clientOrderId: string } };
    expect(d.orders.get(ioc.order.clientOrderId)!.view()).toMatchObject({ state: 'cancelled', filledQty: '1.000', reason: expect.stringMatching(/immediate-or-cancel/) });
  });

  it('FOK fills whole or expires; post-only never takes liquidity', () => {
    const { desk: d } = desk();
    const fok = d.place(order({ qty: '3.5', price: '100.03', tif: 'FOK' })) as { ok: true; order: { clientOrderId: string } };
    expect(d.orders.get(fok.order.clientOrderId)!.view()).toMatchObject({ state: 'expired', filledQty: '0.000', reason: expect.stringMatching(/fill-or-kill: only 3000 of 3500 lots/) });
    const post = d.place(order({ qty: '1', price: '100.01', postOnly: true })) as { ok: true; order: { clientOrderId: string } };
    expect(d.orders.get(post.order.clientOrderId)!.view()).toMatchObject({ state: 'rejected', reason: 'post-only order would take liquidity' });
    const resting = d.place(order({ qty: '1', price: '99.99', postOnly: true })) as { ok: true; order: { clientOrderId: string } };
    expect(d.orders.get(resting.order.clientOrderId)!.state).toBe('working');
  });

  it('queue model: a resting buy waits behind the size shown at its price, then fills from trades at that price', () => {
    const { desk: d, book } = desk();
    // 1.000 BTC (1000 lots) already bid at 99.99: our 0.5 joins behind it
    const r = d.place(order({ qty: '0.5', price: '99.99' })) as { ok: true; order: { clientOrderId: string } };
    const o = () => d.orders.get(r.order.clientOrderId)!.view();
    expect(o().state).toBe('working');
    d.onTrade(book, 9999, 800, 1); // sells hit 0.8 at our price: queue ahead 1.0 → 0.2
    expect(o().filledQty).toBe('0.000');
    d.onTrade(book, 9999, 500, 1); // 0.5 more: 0.2 clears the queue, 0.3 fills us
    expect(o()).toMatchObject({ state: 'partially-filled', filledQty: '0.300' });
    d.onTrade(book, 10005, 100, 0); // a buy elsewhere does nothing to a resting buy
    expect(o().filledQty).toBe('0.300');
    d.onTrade(book, 9998, 10, 1); // a trade through our price fills the rest at our price, as maker
    expect(o()).toMatchObject({ state: 'filled', filledQty: '0.500', avgFillPrice: '99.99' });
    expect(d.fills.at(-1)).toMatchObject({ price: '99.99', liquidity: 'maker' });
  });

  it('a resting order the far side crosses is filled at its own price', () => {
    const { desk: d, book } = desk();
    const r = d.place(order({ side: 'sell', qty: '0.2', price: '100.05' })) as { ok: true; order: { clientOrderId: string } };
    setLevel(book, 0, 10006, 700); // a bid appears above our offer
    d.onBooks();
    expect(d.orders.get(r.order.clientOrderId)!.view()).toMatchObject({ state: 'filled', avgFillPrice: '100.05' });
  });

  it('every resting order the far side crosses is filled, each at its own price, on one book check', () => {
    const { desk: d, book } = desk();
    const a = d.place(order({ side: 'sell', qty: '0.2', price: '100.05' })) as { ok: true; order: { clientOrderId: string } };
    const b = d.place(order({ side: 'sell', qty: '0.1', price: '100.04' })) as { ok: true; order: { clientOrderId: string } };
    const c = d.place(order({ side: 'sell', qty: '0.1', price: '100.09' })) as { ok: true; order: { clientOrderId: string } };
    setLevel(book, 0, 10006, 700); // a bid appears above two of the three offers
    d.onBooks();
    expect(d.orders.get(a.order.clientOrderId)!.view()).toMatchObject({ state: 'filled', avgFillPrice: '100.05' });
    expect(d.orders.get(b.order.clientOrderId)!.view()).toMatchObject({ state: 'filled', avgFillPrice: '100.04' });
    expect(d.orders.get(c.order.clientOrderId)!.view()).toMatchObject({ state: 'working' });
    expect(d.riskView().openOrders).toBe(1);
  });

  it('stop-limit waits for a trade at the stop, then works as a limit', () => {
    const { desk: d, book } = desk();
    const r = d.place(order({ type: 'stop-limit', qty: '1', stopPrice: '100.10', price: '100.20' })) as { ok: true; order: { clientOrderId: string } };
    const o = () => d.orders.get(r.order.clientOrderId)!.view();
    expect(o().state).toBe('working');
    d.onTrade(book, 10005, 10, 0);
    expect(o().filledQty).toBe('0.000');
    d.onTrade(book, 10010, 10, 0); // reaches the stop: becomes a limit at 100.20 and takes the asks
    expect(o()).toMatchObject({ state: 'filled', avgFillPrice: '100.01' });
  });

  it('a market order takes what the book has and cancels the rest', () => {
    const { desk: d } = desk({ limits: { defaults: { maxOrderNotional: 1e9 } } });
    const r = d.place(order({ type: 'market', qty: '25' })) as { ok: true; order: { clientOrderId: string } };
    expect(d.orders.get(r.order.clientOrderId)!.view()).toMatchObject({ state: 'cancelled', filledQty: '20.000', reason: expect.stringMatching(/not enough liquidity/) });
  });
});
