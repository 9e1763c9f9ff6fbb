/**
 * The order lifecycle against the mock venue with the user data stream up. Injected: resting
 * orders filled in parts by the test, marketable orders that fill on arrival, refusals the venue
 * gives (insufficient balance, post-only that would cross, a stop on the wrong side), cancels
 * (ours, the venue's, and one that races a fill). What must hold: reports arrive in the order the
 * desk can apply them (ack, fills, then at most one final state), each fill once with the venue's
 * price, quantity, fee and liquidity; refusals carry the venue's words; the request carries our
 * client order id and the order type the docs prescribe.
 */
import { describe, expect, it } from 'vitest';
import { mockVenueHooks } from '../../../trading/live/testing/mock-hooks';
import type { ExecutionReport } from '../../../trading/execution';
import { BinanceUsExecMock, MOCK_SYMBOLS } from './tests/mock-exec-server';
import { kinds, sleep, startRig, waitFor, type Rig } from './tests/support';

let mock: BinanceUsExecMock;
let rig: Rig;
mockVenueHooks(async () => (mock = await BinanceUsExecMock.start()), () => rig);

const fills = (rs: ExecutionReport[]) => rs.filter((r): r is Extract<ExecutionReport, { type: 'fill' }> => r.type === 'fill');

describe('place → ack → partial fill → fill', () => {
  it('a resting limit order: ack, then each fill once, in order, with the venue\'s numbers', async () => {
    rig = await startRig({ mock });
    await rig.live();
    const from = mock.requests.length;
    const o = rig.submit({ side: 'buy', qty: '0.003', price: '66000.00' });
    await waitFor(() => o.state === 'working', 'ack');
    const [post] = mock.requestsTo('POST', '/api/v3/order', from);
    expect(post!.params).toMatchObject({
      symbol: 'BTCUSD', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.00300', price: '66000.00',
      newClientOrderId: o.id, newOrderRespType: 'FULL', recvWindow: '300',
    });
    expect(o.venueOrderId).toBe(String(mock.byClientId(o.id)!.orderId));

    const t1 = mock.fill(o.id, { qty: '0.001' }); // maker, commission 0.1 % in USD
    await waitFor(() => o.state === 'partially-filled', 'partial fill');
    const t2 = mock.fill(o.id, { qty: '0.002', price: '65999.99' });
    await waitFor(() => o.state === 'filled', 'fill');
    expect(kinds(rig.reportsOf(o.id))).toEqual(['ack', 'fill', 'fill']);
    expect(fills(rig.reportsOf(o.id)).map(({ fillId, priceTicks, lots, fee, liquidity, at }) => ({ fillId, priceTicks, lots, fee, liquidity, at }))).toEqual([
      { fillId: `BTCUSD-${t1.id}`, priceTicks: 6_600_000, lots: 100, fee: 0.066, liquidity: 'maker', at: t1.time },
      { fillId: `BTCUSD-${t2.id}`, priceTicks: 6_599_999, lots: 200, fee: 0.13199998, liquidity: 'maker', at: t2.time },
    ]);
    await sleep(100);
    expect(rig.reportsOf(o.id)).toHaveLength(3); // nothing after the last fill
  });

  it('a marketable IOC limit: the FULL answer\'s fill (taker), then the rest expires', async () => {
    rig = await startRig({ mock });
    await rig.live();
    mock.symbols.get('BTCUSD')!.askQty = '0.001'; // only 0.001 on offer at the ask
    const o = rig.submit({ side: 'buy', qty: '0.003', price: '67000.01', tif: 'IOC' });
    await waitFor(() => o.state === 'expired', 'expired');
    expect(kinds(rig.reportsOf(o.id))).toEqual(['ack', 'fill', 'expired']);
    expect(fills(rig.reportsOf(o.id))[0]).toMatchObject({ priceTicks: 6_700_001, lots: 100, liquidity: 'taker' });
    expect(o.reason).toBe('immediate-or-cancel: the rest expired at the venue');
  });

  it('a market order is sent as MARKET without timeInForce and fills at once', async () => {
    rig = await startRig({ mock });
    await rig.live();
    const from = mock.requests.length;
    const o = rig.submit({ side: 'sell', type: 'market', price: undefined, qty: '0.002', tif: 'IOC' });
    await waitFor(() => o.state === 'filled', 'filled');
    const post = mock.requestsTo('POST', '/api/v3/order', from)[0]!;
    expect(post.params.type).toBe('MARKET');
    expect(post.params.timeInForce).toBeUndefined();
    expect(kinds(rig.reportsOf(o.id))).toEqual(['ack', 'fill']);
    expect(fills(rig.reportsOf(o.id))[0]).toMatchObject({ priceTicks: 6_700_000, lots: 200, liquidity: 'taker' });
  });

  it('commission in the base asset is valued at the fill price; in a third asset it is 0, with one warning', async () => {
    rig = await startRig({ mock });
    await rig.live();
    const o = rig.submit({ qty: '0.002' });
    await waitFor(() => o.state === 'working', 'ack');
    mock.fill(o.id, { qty: '0.001', commission: '0.00000100', commissionAsset: 'BTC' });
    mock.fill(o.id, { qty: '0.001', commission: '0.00120000', commissionAsset: 'BNB' });
    await waitFor(() => o.state === 'filled', 'filled');
    const [a, b] = fills(rig.reportsOf(o.id));
    expect(a!.fee).toBeCloseTo(0.000001 * 66000, 9);
    expect(b!.fee).toBe(0);
    expect(rig.logs.filter((l) => /commission paid in BNB cannot be valued in USD/.test(l.msg))).toHaveLength(1);
  });
});

describe('refusals carry the venue\'s reason', () => {
  it('insufficient balance: rejected with Binance\'s -2010 message, nothing at the venue', async () => {
    rig = await startRig({ mock });
    mock.balances.set('USD', 100 * 1e8); // $100 for a $198 order
    const o = rig.submit({ qty: '0.003', price: '66000.00' });
    await waitFor(() => o.state === 'rejected', 'rejected');
    expect(o.reason).toBe('Account has insufficient balance for requested action. (Binance.US -2010)');
    expect(kinds(rig.reportsOf(o.id))).toEqual(['rejected']);
    expect(mock.ordersWithClientId(o.id)).toHaveLength(0);
  });

  it('post-only is LIMIT_MAKER (no timeInForce): rests when it does not cross, is rejected when it would', async () => {
    rig = await startRig({ mock });
    await rig.live();
    const from = mock.requests.length;
    const rests = rig.submit({ side: 'buy', price: '66999.99', postOnly: true });
    const crosses = rig.submit({ side: 'buy', price: '67000.01', postOnly: true });
    await waitFor(() => rests.state === 'working' && crosses.state === 'rejected', 'both answered');
    const posts = mock.requestsTo('POST', '/api/v3/order', from);
    expect(posts.map((p) => [p.params.type, p.params.timeInForce])).toEqual([['LIMIT_MAKER', undefined], ['LIMIT_MAKER', undefined]]);
    expect(crosses.reason).toBe('Order would immediately match and take. (Binance.US -2010)');
  });

  it('a client order id longer than Binance takes (36) never reaches it: the shared order schema refuses it', async () => {
    const { OrderRequestSchema } = await import('../../../../shared/trading');
    const base = { venue: 'binanceus', symbol: 'BTC-USD', side: 'buy', type: 'limit', qty: '0.001', price: '60000' };
    expect(OrderRequestSchema.safeParse({ ...base, clientOrderId: `long-${'x'.repeat(32)}` }).success).toBe(false);
    expect(OrderRequestSchema.safeParse({ ...base, clientOrderId: `ok-${'x'.repeat(33)}` }).success).toBe(true);
  });

  it('symbols the venue does not list or does not trade, and market FOK, are refused before anything is sent', async () => {
    rig = await startRig({ mock });
    const from = mock.requests.length;
    const unlisted = rig.submit({ symbol: 'DOGE-USD' });
    const halted = rig.submit({ symbol: 'XRP-USD', price: '0.5000', qty: '10' });
    const fok = rig.submit({ type: 'market', price: undefined, tif: 'FOK' });
    await waitFor(() => [unlisted, halted, fok].every((o) => o.state === 'rejected'), 'all rejected');
    expect(unlisted.reason).toBe('not placed: DOGE-USD is not listed by Binance.US');
    expect(halted.reason).toBe('not placed: XRP-USD is not trading on Binance.US (status BREAK)');
    expect(fok.reason).toMatch(/^Binance.US market orders cannot be fill-or-kill/);
    expect(mock.requestsTo('POST', '/api/v3/order', from)).toHaveLength(0);
  });
});

describe('stop-limit: STOP_LOSS_LIMIT or TAKE_PROFIT_LIMIT by where the stop is against the last price', () => {
  it('buy above / sell below the market are STOP_LOSS_LIMIT, buy below / sell above are TAKE_PROFIT_LIMIT; all accepted', async () => {
    rig = await startRig({ mock });
    await rig.live();
    const from = mock.requests.length; // last price 67000.00
    const orders = [
      rig.submit({ type: 'stop-limit', side: 'buy', stopPrice: '68000.00', price: '68100.00' }),
      rig.submit({ type: 'stop-limit', side: 'buy', stopPrice: '66000.00', price: '66100.00' }),
      rig.submit({ type: 'stop-limit', side: 'sell', stopPrice: '66000.00', price: '65900.00' }),
      rig.submit({ type: 'stop-limit', side: 'sell', stopPrice: '68000.00', price: '67900.00' }),
    ];
    await waitFor(() => orders.every((o) => o.state === 'working'), 'all acked');
    const posts = mock.requestsTo('POST', '/api/v3/order', from);
    const byId = new Map(posts.map((p) => [p.params.newClientOrderId, p.params]));
    expect(orders.map((o) => byId.get(o.id)!.type)).toEqual(['STOP_LOSS_LIMIT', 'TAKE_PROFIT_LIMIT', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT_LIMIT']);
    expect(byId.get(orders[0]!.id)).toMatchObject({ timeInForce: 'GTC', stopPrice: '68000.00', price: '68100.00' });
    expect(mock.requestsTo('GET', '/api/v3/ticker/price', from).length).toBeGreaterThanOrEqual(4);
  });

  it('the market moving past the stop before the order arrives: the venue\'s "would trigger immediately" is the reason', async () => {
    rig = await startRig({ mock });
    await rig.live();
    mock.inject({ kind: 'error', status: 400, code: -2010, msg: 'Order would trigger immediately.' }, '/api/v3/order', 'POST');
    const o = rig.submit({ type: 'stop-limit', side: 'buy', stopPrice: '67000.50', price: '67100.00' });
    await waitFor(() => o.state === 'rejected', 'rejected');
    expect(o.reason).toBe('Order would trigger immediately. (Binance.US -2010)');
  });
});

describe('cancel', () => {
  it('a working order: DELETE by origClientOrderId, reported cancelled once', async () => {
    rig = await startRig({ mock });
    await rig.live();
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack');
    const from = mock.requests.length;
    rig.venue.cancel(o);
    await waitFor(() => o.state === 'cancelled', 'cancelled');
    expect(mock.requestsTo('DELETE', '/api/v3/order', from).map((r) => r.params)).toMatchObject([{ symbol: 'BTCUSD', origClientOrderId: o.id }]);
    expect(o.reason).toBe('cancelled by request');
    await sleep(100);
    expect(kinds(rig.reportsOf(o.id))).toEqual(['ack', 'cancelled']);
  });

  it('after a partial fill: the fill, then cancelled', async () => {
    rig = await startRig({ mock });
    await rig.live();
    const o = rig.submit({ qty: '0.003' });
    await waitFor(() => o.state === 'working', 'ack');
    mock.fill(o.id, { qty: '0.001' });
    await waitFor(() => o.state === 'partially-filled', 'partial');
    rig.venue.cancel(o);
    await waitFor(() => o.state === 'cancelled', 'cancelled');
    expect(kinds(rig.reportsOf(o.id))).toEqual(['ack', 'fill', 'cancelled']);
  });

  it('requested before the ack: sent once the venue has the order', async () => {
    rig = await startRig({ mock });
    await rig.live();
    const o = rig.submit();
    rig.venue.cancel(o); // the POST has not been answered yet
    await waitFor(() => o.state === 'cancelled', 'cancelled');
    expect(kinds(rig.reportsOf(o.id))).toEqual(['ack', 'cancelled']);
  });

  it('racing a fill the stream has not delivered: "Unknown order sent." → the order is read: filled, not cancelled', async () => {
    rig = await startRig({ mock, options: { pollIntervalMs: 60_000 } });
    await rig.live();
    const o = rig.submit({ qty: '0.002' });
    await waitFor(() => o.state === 'working', 'ack');
    mock.refuseStream(true); // injected: the stream is cut, so the fill is not seen before the cancel
    mock.dropStream();
    await waitFor(() => rig.logs.some((l) => /user stream down/.test(l.msg)), 'stream down');
    mock.fill(o.id, { qty: '0.002' });
    rig.venue.cancel(o);
    await waitFor(() => o.state === 'filled', 'filled');
    expect(kinds(rig.reportsOf(o.id))).toEqual(['ack', 'fill']);
    expect(rig.logs.some((l) => /cancel refused \(Unknown order sent\. \(Binance\.US -2011\)\)/.test(l.msg))).toBe(true);
  });

  it('cancelled at the venue (not by us): reported with that reason', async () => {
    rig = await startRig({ mock });
    await rig.live();
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack');
    mock.endAtVenue(o.id, 'CANCELED');
    await waitFor(() => o.state === 'cancelled', 'cancelled');
    expect(o.reason).toBe('cancelled at the venue');
  });
});
