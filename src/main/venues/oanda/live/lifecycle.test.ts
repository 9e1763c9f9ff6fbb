/**
 * Order lifecycle against the mock OANDA (bearer token and documented headers checked on every
 * request, the stream included): place → ack → partial fill → fill; market and IOC orders
 * answered at once; OANDA's rejects with OANDA's reason; cancel (also racing a fill, and asked
 * before the ack); OANDA ending an order itself. Each test says what was injected; throughout,
 * every report must apply to the order the way the desk applies it (no violations), and no
 * request may be refused for its token or headers.
 */
import { describe, expect, it } from 'vitest';
import { mockVenueHooks } from '../../../trading/live/testing/mock-hooks';
import { OandaExecMock } from './tests/mock-exec-server';
import { kinds, sleep, startRig, waitFor, type Rig } from './tests/support';

let mock: OandaExecMock;
let rig: Rig;
mockVenueHooks(async () => (mock = await OandaExecMock.start({ heartbeatMs: 100 })), () => rig);

const placed = (id: string) => mock.ordersWithClientId(id);

describe('place → ack → fills', () => {
  it('a GTC limit: ack with OANDA\'s order id, then each fill once, in order, with its price, units and commission', async () => {
    rig = await startRig({ mock });
    await rig.live();
    const o = rig.submit({ side: 'buy', type: 'limit', qty: '1000', price: '1.10000' });
    await waitFor(() => rig.reportsOf(o.id).length === 1, 'ack');
    const v = mock.byClientId(o.id);
    expect(mock.requestsTo('POST', /\/orders$/)).toHaveLength(1);
    expect(mock.log.find((t) => t.id === v.id)).toMatchObject({
      type: 'LIMIT_ORDER', instrument: 'EUR_USD', units: '1000', price: '1.10000', timeInForce: 'GTC', positionFill: 'DEFAULT', clientExtensions: { id: o.id },
    });
    expect(rig.reports[0]).toMatchObject({ type: 'ack', clientOrderId: o.id, venueOrderId: v.id });

    // injected: OANDA fills 400 units, then the other 600 at a better price
    const f1 = mock.fill(o.id, { units: 400, price: '1.10000', commission: '0.0400' });
    await waitFor(() => o.filledLots === 400, 'first fill');
    const f2 = mock.fill(o.id, { units: 600, price: '1.09998' });
    await waitFor(() => o.state === 'filled', 'order filled');

    const rs = rig.reportsOf(o.id);
    expect(kinds(rs)).toEqual(['ack', 'fill', 'fill']);
    expect(rs[1]).toMatchObject({ fillId: f1.id, priceTicks: 110_000, lots: 400, fee: 0.04, liquidity: 'taker', at: Math.floor(Date.parse(f1.time)) });
    expect(rs[2]).toMatchObject({ fillId: f2.id, priceTicks: 109_998, lots: 600, fee: 0 });
    expect(o.venueOrderId).toBe(v.id);
    expect(placed(o.id)).toHaveLength(1);
  });

  it('a sell fill that reduces one trade and opens another at a different price: one report per price, units adding up', async () => {
    rig = await startRig({ mock });
    await rig.live();
    const o = rig.submit({ side: 'sell', qty: '1000', price: '1.10050' });
    await waitFor(() => placed(o.id).length === 1 && o.state === 'working', 'ack');
    expect(mock.byClientId(o.id).units).toBe('-1000');
    const f = mock.fill(o.id, { units: 1000, price: '1.10050', legs: [{ units: 300, price: '1.10050' }, { units: 700, price: '1.10051' }] });
    await waitFor(() => o.state === 'filled', 'filled');
    const fills = rig.reportsOf(o.id).filter((r) => r.type === 'fill');
    expect(fills).toMatchObject([{ fillId: `${f.id}-0`, lots: 300, priceTicks: 110_050 }, { fillId: `${f.id}-1`, lots: 700, priceTicks: 110_051 }]);
  });

  it('a market order (GTC asked): sent as MARKET FOK, filled in the create answer: ack then fill, nothing more', async () => {
    rig = await startRig({ mock });
    const o = rig.submit({ side: 'sell', type: 'market', qty: '2500', price: undefined, tif: 'GTC' });
    await waitFor(() => o.state === 'filled', 'filled');
    expect(mock.log.find((t) => t.id === mock.byClientId(o.id).id)).toMatchObject({ type: 'MARKET_ORDER', units: '-2500', timeInForce: 'FOK' });
    expect(kinds(rig.reportsOf(o.id))).toEqual(['ack', 'fill']);
    expect(rig.reportsOf(o.id)[1]).toMatchObject({ priceTicks: 110_020, lots: 2500 });
    await sleep(250); // the same transactions then arrive on the stream: not reported again
    expect(kinds(rig.reportsOf(o.id))).toEqual(['ack', 'fill']);
  });

  it('an IOC limit that OANDA fills in part: ack, the partial fill, then cancelled with OANDA\'s reason', async () => {
    rig = await startRig({ mock });
    mock.immediateUnits = 300; // injected
    try {
      const o = rig.submit({ qty: '1000', price: '1.10010', tif: 'IOC' });
      await waitFor(() => o.isTerminal, 'terminal');
      expect(kinds(rig.reportsOf(o.id))).toEqual(['ack', 'fill', 'cancelled']);
      expect(o.filledLots).toBe(300);
      expect(o.reason).toBe('cancelled by OANDA: INSUFFICIENT_LIQUIDITY');
    } finally {
      mock.immediateUnits = 0;
    }
  });

  it('stop-limit → STOP with price = the stop and priceBound = the limit; reduce-only → positionFill REDUCE_ONLY', async () => {
    rig = await startRig({ mock });
    const o = rig.submit({ side: 'sell', type: 'stop-limit', qty: '500', price: '1.09900', stopPrice: '1.09950', reduceOnly: true });
    await waitFor(() => o.state === 'working', 'ack');
    const body = JSON.parse(JSON.stringify(mock.log.find((t) => t.id === mock.byClientId(o.id).id)));
    expect(body).toMatchObject({ type: 'STOP_ORDER', units: '-500', price: '1.09950', priceBound: '1.09900', positionFill: 'REDUCE_ONLY', timeInForce: 'GTC' });
  });
});

describe('OANDA rejects', () => {
  it('INSUFFICIENT_MARGIN on create (400 with orderRejectTransaction): rejected with OANDA\'s reason, no ack, no order', async () => {
    rig = await startRig({ mock });
    await rig.live();
    mock.failNext('place', { kind: 'reject', reason: 'INSUFFICIENT_MARGIN', message: 'Insufficient margin to place the Order' }); // injected
    const o = rig.submit({ qty: '5000000' });
    await waitFor(() => o.state === 'rejected', 'rejection');
    expect(kinds(rig.reportsOf(o.id))).toEqual(['rejected']);
    expect(o.reason).toBe('INSUFFICIENT_MARGIN: Insufficient margin to place the Order');
    expect(placed(o.id)).toHaveLength(0);
    await sleep(250); // the reject transaction also comes down the stream: not a second report
    expect(rig.reportsOf(o.id)).toHaveLength(1);
  });

  it('a market order OANDA creates and cancels at once for margin: ack, then cancelled with INSUFFICIENT_MARGIN', async () => {
    rig = await startRig({ mock });
    mock.marketCancelReason = 'INSUFFICIENT_MARGIN'; // injected
    try {
      const o = rig.submit({ type: 'market', qty: '90000000', price: undefined, tif: 'FOK' });
      await waitFor(() => o.isTerminal, 'terminal');
      expect(kinds(rig.reportsOf(o.id))).toEqual(['ack', 'cancelled']);
      expect(o.reason).toBe('cancelled by OANDA: INSUFFICIENT_MARGIN');
    } finally {
      mock.marketCancelReason = null;
    }
  });

  it('USD-JPY is sent at its 3 decimals (OANDA refuses finer prices); an injected UNITS_LIMIT_EXCEEDED comes back as the reason', async () => {
    rig = await startRig({ mock });
    const o = rig.submit({ symbol: 'USD-JPY', qty: '100', price: '150.123' });
    await waitFor(() => o.state === 'working', 'ack');
    expect(mock.byClientId(o.id)).toMatchObject({ instrument: 'USD_JPY', price: '150.123' });
    mock.failNext('place', { kind: 'reject', reason: 'UNITS_LIMIT_EXCEEDED', message: 'The units specified exceeds the maximum number of units allowed' }); // injected
    const big = rig.submit({ symbol: 'USD-JPY', qty: '200000000', price: '150.124' });
    await waitFor(() => big.state === 'rejected', 'rejection');
    expect(big.reason).toBe('UNITS_LIMIT_EXCEEDED: The units specified exceeds the maximum number of units allowed');
  });

  it('post-only: OANDA has none, so the order is rejected here and nothing is sent', async () => {
    rig = await startRig({ mock });
    const posts = mock.requestsTo('POST', /\/orders$/).length;
    const o = rig.submit({ postOnly: true, price: '1.10000' });
    await waitFor(() => o.state === 'rejected', 'rejection');
    expect(o.reason).toBe('OANDA has no post-only orders; not sent');
    await sleep(100);
    expect(mock.requestsTo('POST', /\/orders$/).length).toBe(posts);
  });
});

describe('cancel', () => {
  it('a working order: PUT /orders/@clientOrderId/cancel, then cancelled "by request"', async () => {
    rig = await startRig({ mock });
    await rig.live();
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack');
    rig.venue.cancel(o);
    await waitFor(() => o.state === 'cancelled', 'cancelled');
    expect(mock.requestsTo('PUT', new RegExp(`/orders/@${o.id}/cancel$`))).toHaveLength(1);
    expect(kinds(rig.reportsOf(o.id))).toEqual(['ack', 'cancelled']);
    expect(o.reason).toBe('cancelled by request');
    expect(mock.byClientId(o.id).state).toBe('CANCELLED');
  });

  it('a partial fill the stream has not delivered when the cancel is answered: the fill is reported before the cancel', async () => {
    rig = await startRig({ mock });
    await rig.live();
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack');
    mock.hideFromStream(2); // injected: the fill and the cancel reach the log but not the stream
    mock.fill(o.id, { units: 250, price: '1.10000' });
    rig.venue.cancel(o);
    await waitFor(() => o.isTerminal, 'terminal');
    expect(kinds(rig.reportsOf(o.id))).toEqual(['ack', 'fill', 'cancelled']);
    expect(o.filledLots).toBe(250);
  });

  it('cancel asked before OANDA has acknowledged: sent right after the ack, once', async () => {
    rig = await startRig({ mock });
    mock.failNext('place', { kind: 'timeout', reach: true }); // injected: the create answer never comes
    const o = rig.submit();
    rig.venue.cancel(o);
    await waitFor(() => o.state === 'cancelled', 'cancelled');
    expect(kinds(rig.reportsOf(o.id))).toEqual(['ack', 'cancelled']);
    expect(mock.requestsTo('PUT', /\/cancel$/).filter((r) => r.path.includes(o.id))).toHaveLength(1);
  });

  it('an order that filled before the cancel arrived: OANDA refuses the cancel (ORDER_DOESNT_EXIST); the fill is reported, no cancel', async () => {
    rig = await startRig({ mock });
    await rig.live();
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack');
    mock.hideFromStream(1); // injected: the fill is only in the log
    mock.fill(o.id, { units: 1000, price: '1.09999' });
    rig.venue.cancel(o);
    await waitFor(() => o.state === 'filled', 'filled');
    expect(kinds(rig.reportsOf(o.id))).toEqual(['ack', 'fill']);
  });
});

describe('OANDA ends an order itself', () => {
  it('GTD/GFD expiry (ORDER_CANCEL TIME_IN_FORCE_EXPIRED): expired', async () => {
    rig = await startRig({ mock });
    await rig.live();
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack');
    mock.cancelAtVenue(o.id, 'TIME_IN_FORCE_EXPIRED'); // injected
    await waitFor(() => o.state === 'expired', 'expired');
    expect(o.reason).toBe('TIME_IN_FORCE_EXPIRED');
  });

  it('a halted market (ORDER_CANCEL MARKET_HALTED): cancelled with OANDA\'s reason', async () => {
    rig = await startRig({ mock });
    await rig.live();
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack');
    mock.cancelAtVenue(o.id, 'MARKET_HALTED'); // injected
    await waitFor(() => o.state === 'cancelled', 'cancelled');
    expect(o.reason).toBe('cancelled by OANDA: MARKET_HALTED');
  });
});
