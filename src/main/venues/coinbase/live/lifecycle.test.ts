/**
 * Order lifecycle against the mock venue (signatures verified on every request and on the
 * stream subscribe): place → ack → partial fill → fill; venue rejections with the venue's reason;
 * cancel; the venue ending an order itself. Each test says what was injected; throughout, every
 * report must apply to the order the way the desk applies it (no violations), and no request
 * may be refused for its token.
 */
import { describe, expect, it } from 'vitest';
import { mockVenueHooks } from '../../../trading/live/testing/mock-hooks';
import { orderBody } from './order-body';
import { CoinbaseExecMock, REJECT } from './tests/mock-exec-server';
import { kinds, pendingOrder, startRig, waitFor, type Rig } from './tests/support';

let mock: CoinbaseExecMock;
let rig: Rig;
mockVenueHooks(async () => (mock = await CoinbaseExecMock.start({ heartbeatMs: 100 })), () => rig);

const placed = (id: string) => mock.ordersWithClientId(id);

describe('place → ack → fills', () => {
  it('reports ack, then each fill once with the venue\'s price, size, fee and liquidity, in order', async () => {
    rig = await startRig({ mock });
    await rig.live();
    const o = rig.submit({ side: 'buy', type: 'limit', qty: '0.001', price: '64000.00', postOnly: true });
    await waitFor(() => rig.reportsOf(o.id).length === 1, 'ack');
    const v = mock.byClientId(o.id);
    expect(v.config).toEqual({ limit_limit_gtc: { base_size: '0.00100000', limit_price: '64000.00', post_only: true } });
    expect(rig.reports[0]).toMatchObject({ type: 'ack', clientOrderId: o.id, venueOrderId: v.order_id });

    // injected: the venue fills 0.0004 (maker), then the rest 0.0006 at a better price (taker)
    const f1 = mock.fill(o.id, { size: '0.0004', price: '64000.00', liquidity: 'MAKER', commission: '0.10240000' });
    await waitFor(() => o.filledLots === 40_000, 'first fill');
    const f2 = mock.fill(o.id, { size: '0.0006', price: '63999.50', liquidity: 'TAKER', commission: '0.23039820' });
    await waitFor(() => o.state === 'filled', 'order filled');

    const rs = rig.reportsOf(o.id);
    expect(kinds(rs)).toEqual(['ack', 'fill', 'fill']);
    expect(rs[1]).toMatchObject({ fillId: f1.entry_id, priceTicks: 6_400_000, lots: 40_000, fee: 0.1024, liquidity: 'maker', at: Date.parse(f1.trade_time) });
    expect(rs[2]).toMatchObject({ fillId: f2.entry_id, priceTicks: 6_399_950, lots: 60_000, fee: 0.2303982, liquidity: 'taker' });
    expect(o.venueOrderId).toBe(v.order_id);
    expect(placed(o.id)).toHaveLength(1);
  });

  it('a market order: market_market_ioc, filled at once', async () => {
    rig = await startRig({ mock });
    const o = rig.submit({ side: 'sell', type: 'market', qty: '0.25', price: undefined, tif: 'IOC' });
    await waitFor(() => placed(o.id).length === 1, 'placement');
    expect(mock.byClientId(o.id)).toMatchObject({ side: 'SELL', config: { market_market_ioc: { base_size: '0.25000000' } } });
    mock.fill(o.id, { size: '0.25', price: '63990.01', liquidity: 'TAKER' });
    await waitFor(() => o.state === 'filled', 'filled');
    expect(kinds(rig.reportsOf(o.id))).toEqual(['ack', 'fill']);
  });
});

describe('the venue rejects', () => {
  it('insufficient funds: rejected with the venue\'s reason, no ack, nothing at the venue', async () => {
    rig = await startRig({ mock });
    mock.failPlace(REJECT.insufficientFunds); // injected
    const o = rig.submit({ qty: '50' });
    await waitFor(() => o.state === 'rejected', 'rejection');
    expect(kinds(rig.reportsOf(o.id))).toEqual(['rejected']);
    expect(o.reason).toBe('INSUFFICIENT_FUND: Insufficient balance in source account');
    expect(placed(o.id)).toHaveLength(0);
  });

  it('post-only that would cross: rejected with INVALID_LIMIT_PRICE_POST_ONLY', async () => {
    rig = await startRig({ mock });
    mock.failPlace(REJECT.postOnlyWouldCross); // injected
    const o = rig.submit({ postOnly: true, price: '70000.00' });
    await waitFor(() => o.state === 'rejected', 'rejection');
    expect(o.reason).toBe('INVALID_LIMIT_PRICE_POST_ONLY: Invalid limit price for post only order');
  });

  it('an order Coinbase cannot take (market FOK) is rejected here, and nothing is sent', async () => {
    rig = await startRig({ mock });
    const before = mock.placements().length;
    const o = rig.submit({ type: 'market', price: undefined, tif: 'FOK' });
    await waitFor(() => o.state === 'rejected', 'rejection');
    expect(o.reason).toMatch(/no fill-or-kill market order/);
    expect(mock.placements()).toHaveLength(before);
  });

  it('a key the venue does not know: HTTP 401, rejected as not placed', async () => {
    // its own venue, so that the refusals of this key stay out of the others' checks
    const own = await startRig({ register: false }); // injected: the key is not registered at the venue
    try {
      const o = pendingOrder();
      own.orders.set(o.id, o);
      own.venue.submit(o);
      await waitFor(() => o.state === 'rejected', 'rejection');
      expect(o.reason).toBe('not placed: POST /api/v3/brokerage/orders: HTTP 401 Unauthorized');
      expect(own.mock.authFailures).toContain('unknown kid');
      expect(own.mock.ordersWithClientId(o.id)).toHaveLength(0);
    } finally {
      await own.close();
    }
    rig = await startRig({ mock });
  });
});

describe('cancel', () => {
  it('after a partial fill: batch_cancel, then the fill and the cancel are reported, in that order', async () => {
    rig = await startRig({ mock });
    const o = rig.submit({ qty: '0.002' });
    await waitFor(() => o.state === 'working', 'ack');
    mock.fill(o.id, { size: '0.0005', price: '64000.00' });
    await waitFor(() => o.filledLots === 50_000, 'partial fill');
    rig.venue.cancel(o);
    await waitFor(() => o.state === 'cancelled', 'cancelled');
    expect(kinds(rig.reportsOf(o.id))).toEqual(['ack', 'fill', 'cancelled']);
    expect(o.reason).toBe('cancelled by request');
    expect(mock.byClientId(o.id).status).toBe('CANCELLED');
    expect(mock.requests.filter((r) => r.path === '/api/v3/brokerage/orders/batch_cancel')).toHaveLength(1);
  });

  it('cancel before the venue has answered the placement: sent as soon as it has, then reported', async () => {
    rig = await startRig({ mock });
    mock.failPlace({ kind: 'timeout', create: true }); // injected: the placement answer is slow (never comes)
    const o = rig.submit();
    rig.venue.cancel(o); // while still pending
    await waitFor(() => o.state === 'cancelled', 'cancelled');
    expect(kinds(rig.reportsOf(o.id))).toEqual(['ack', 'cancelled']);
    expect(mock.ordersWithClientId(o.id)).toHaveLength(1);
    expect(mock.byClientId(o.id).status).toBe('CANCELLED');
  });

  it('a cancel that races a fill: the venue refuses it, the fill is reported and the order ends filled', async () => {
    rig = await startRig({ mock });
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack');
    mock.fill(o.id, { size: '0.001', price: '64000.00' }); // injected: filled before the cancel arrives
    rig.venue.cancel(o);
    await waitFor(() => o.state === 'filled', 'filled');
    await waitFor(() => rig.logs.some((l) => /cancel refused \(UNKNOWN_CANCEL_ORDER\)/.test(l.msg)) || kinds(rig.reportsOf(o.id)).length === 2, 'cancel answered');
    expect(kinds(rig.reportsOf(o.id))).toEqual(['ack', 'fill']);
  });

  it('the venue ends an IOC remainder itself: fill, then cancelled with the venue\'s message', async () => {
    rig = await startRig({ mock });
    const o = rig.submit({ tif: 'IOC', qty: '0.003' });
    await waitFor(() => o.state === 'working', 'ack');
    expect(mock.byClientId(o.id).config).toEqual({ sor_limit_ioc: { base_size: '0.00300000', limit_price: '64000.00' } });
    mock.fill(o.id, { size: '0.001', price: '64000.00' });
    mock.endAtVenue(o.id, 'CANCELLED', 'IOC order not fully filled'); // injected
    await waitFor(() => o.state === 'cancelled', 'cancelled');
    expect(kinds(rig.reportsOf(o.id))).toEqual(['ack', 'fill', 'cancelled']);
    expect(o.reason).toBe('IOC order not fully filled');
  });
});

describe('order_configuration for each type and time in force', () => {
  it('maps as Coinbase names them', () => {
    const cfg = (input: Parameters<typeof pendingOrder>[0]) => {
      const r = orderBody(pendingOrder(input));
      return r.ok ? r.body.order_configuration : r.reason;
    };
    expect(cfg({ tif: 'GTC' })).toEqual({ limit_limit_gtc: { base_size: '0.00100000', limit_price: '64000.00', post_only: false } });
    expect(cfg({ tif: 'IOC' })).toEqual({ sor_limit_ioc: { base_size: '0.00100000', limit_price: '64000.00' } });
    expect(cfg({ tif: 'FOK' })).toEqual({ limit_limit_fok: { base_size: '0.00100000', limit_price: '64000.00' } });
    expect(cfg({ type: 'market', price: undefined, tif: 'IOC' })).toEqual({ market_market_ioc: { base_size: '0.00100000' } });
    expect(cfg({ type: 'stop-limit', side: 'sell', price: '60000.00', stopPrice: '60100.00' })).toEqual({
      stop_limit_stop_limit_gtc: { base_size: '0.00100000', limit_price: '60000.00', stop_price: '60100.00', stop_direction: 'STOP_DIRECTION_STOP_DOWN' },
    });
    expect(cfg({ type: 'stop-limit', tif: 'IOC', price: '60000.00', stopPrice: '60100.00' })).toMatch(/GTC/);
    const body = orderBody(pendingOrder({ clientOrderId: 'client-42', side: 'sell' }));
    expect(body.ok && body.body).toMatchObject({ client_order_id: 'client-42', product_id: 'BTC-USD', side: 'SELL' });
  });
});
