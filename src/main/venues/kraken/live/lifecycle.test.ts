/**
 * Order lifecycle against the mock venue (every private request's signature and nonce verified,
 * the stream subscribed with a token it issued): place → ack → partial fill → fill; Kraken's
 * rejections with Kraken's words; cancel; the venue ending an order itself. Each test says what
 * was injected; throughout, every report must apply to the order the way the desk applies it (no
 * violations), and no request may be refused for its credentials.
 */
import { describe, expect, it } from 'vitest';
import { mockVenueHooks } from '../../../trading/live/testing/mock-hooks';
import { addOrderParams, venueClientId } from './order-params';
import { KrakenExecMock, REJECT } from './tests/mock-exec-server';
import { cl, kinds, pendingOrder, startRig, waitFor, type Rig } from './tests/support';

let mock: KrakenExecMock;
let rig: Rig;
mockVenueHooks(async () => (mock = await KrakenExecMock.start({ heartbeatMs: 100 })), () => rig);

const placed = (o: { id: string }) => mock.ordersWith(cl(o.id));

describe('place → ack → fills', () => {
  it('reports ack, then each fill once with the venue\'s price, size, fee and liquidity, in order', async () => {
    rig = await startRig({ mock });
    await rig.live();
    const o = rig.submit({ side: 'buy', type: 'limit', qty: '0.001', price: '64000.0', postOnly: true });
    await waitFor(() => rig.reportsOf(o.id).length === 1, 'ack');
    const v = mock.byClOrdId(cl(o));
    expect(mock.calls('AddOrder').at(-1)!.params).toMatchObject({
      ordertype: 'limit', type: 'buy', volume: '0.00100000', pair: 'XBTUSD', price: '64000.0', timeinforce: 'GTC', oflags: 'post,fciq', cl_ord_id: o.id,
    });
    expect(rig.reports[0]).toMatchObject({ type: 'ack', clientOrderId: o.id, venueOrderId: v.txid });

    // injected: the venue fills 0.0004 (maker), then the rest 0.0006 at a better price (taker)
    const f1 = mock.fill(cl(o), { vol: '0.0004', price: '64000.0', maker: true, fee: '0.06400' });
    await waitFor(() => o.filledLots === 40_000, 'first fill');
    const f2 = mock.fill(cl(o), { vol: '0.0006', price: '63999.5', maker: false, fee: '0.15360' });
    await waitFor(() => o.state === 'filled', 'order filled');

    const rs = rig.reportsOf(o.id);
    expect(kinds(rs)).toEqual(['ack', 'fill', 'fill']);
    expect(rs[1]).toMatchObject({ fillId: f1.id, priceTicks: 640_000, lots: 40_000, fee: 0.064, liquidity: 'maker', at: Math.round(f1.time * 1000) });
    expect(rs[2]).toMatchObject({ fillId: f2.id, priceTicks: 639_995, lots: 60_000, fee: 0.1536, liquidity: 'taker' });
    expect(o.venueOrderId).toBe(v.txid);
    expect(placed(o)).toHaveLength(1);
  });

  it('a market order: ordertype=market, filled at once', async () => {
    rig = await startRig({ mock });
    const o = rig.submit({ side: 'sell', type: 'market', qty: '0.25', price: undefined, tif: 'IOC' });
    await waitFor(() => placed(o).length === 1, 'placement');
    expect(mock.calls('AddOrder').at(-1)!.params).toMatchObject({ ordertype: 'market', type: 'sell', volume: '0.25000000', pair: 'XBTUSD' });
    await waitFor(() => o.state === 'working', 'ack');
    mock.fill(cl(o), { vol: '0.25', price: '63990.1', maker: false });
    await waitFor(() => o.state === 'filled', 'filled');
    expect(kinds(rig.reportsOf(o.id))).toEqual(['ack', 'fill']);
  });

  it('a client order id longer than Kraken takes goes as a UUID derived from it, and is followed by it', async () => {
    rig = await startRig({ mock });
    await rig.live();
    const long = `pulse-ticket-${'x'.repeat(20)}-1`; // 35 characters: more than Kraken's 18, within Pulse's 36
    const o = rig.submit({ clientOrderId: long });
    await waitFor(() => o.state === 'working', 'ack');
    const venueId = venueClientId(long);
    expect(venueId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(venueClientId(long)).toBe(venueId); // the same after a restart
    mock.fill(venueId, { vol: '0.001', price: '64000.0' });
    await waitFor(() => o.state === 'filled', 'filled');
  });
});

describe('Kraken refuses', () => {
  it('insufficient funds: rejected with Kraken\'s error, no ack, nothing at the venue', async () => {
    rig = await startRig({ mock });
    mock.failPlace(REJECT.insufficientFunds); // injected
    const o = rig.submit({ qty: '50' });
    await waitFor(() => o.state === 'rejected', 'rejection');
    expect(kinds(rig.reportsOf(o.id))).toEqual(['rejected']);
    expect(o.reason).toBe('EOrder:Insufficient funds');
    expect(placed(o)).toHaveLength(0);
  });

  it('post-only that would take: Kraken takes the order and cancels it with "Post only order"', async () => {
    rig = await startRig({ mock });
    await rig.live();
    mock.failPlace({ kind: 'post-only-cross' }); // injected
    const o = rig.submit({ postOnly: true, price: '70000.0' });
    await waitFor(() => o.state === 'cancelled', 'cancelled');
    expect(kinds(rig.reportsOf(o.id))).toEqual(['ack', 'cancelled']);
    expect(o.reason).toBe('Post only order');
    expect(o.filledLots).toBe(0);
  });

  it('an order Kraken cannot take (fill-or-kill) is rejected here, and nothing is sent', async () => {
    rig = await startRig({ mock });
    const before = mock.calls('AddOrder').length;
    const o = rig.submit({ tif: 'FOK' });
    await waitFor(() => o.state === 'rejected', 'rejection');
    expect(o.reason).toMatch(/no fill-or-kill/);
    expect(mock.calls('AddOrder')).toHaveLength(before);
  });

  it('a key Kraken does not know: EAPI:Invalid key, rejected as not placed', async () => {
    // its own venue, so that the refusals of this key stay out of the others' checks
    const own = await startRig({ register: false }); // injected: the key is not registered at the venue
    try {
      const o = pendingOrder();
      own.orders.set(o.id, o);
      own.venue.submit(o);
      await waitFor(() => o.state === 'rejected', 'rejection');
      expect(o.reason).toBe('not placed: AddOrder: EAPI:Invalid key');
      expect(own.mock.authFailures).toContain('EAPI:Invalid key');
      expect(own.mock.ordersWith(cl(o))).toHaveLength(0);
    } finally {
      await own.close();
    }
    rig = await startRig({ mock });
  });
});

describe('cancel', () => {
  it('after a partial fill: CancelOrder by txid, then the fill and the cancel are reported, in that order', async () => {
    rig = await startRig({ mock });
    await rig.live();
    const o = rig.submit({ qty: '0.002' });
    await waitFor(() => o.state === 'working', 'ack');
    mock.fill(cl(o), { vol: '0.0005', price: '64000.0' });
    await waitFor(() => o.filledLots === 50_000, 'partial fill');
    rig.venue.cancel(o);
    await waitFor(() => o.state === 'cancelled', 'cancelled');
    expect(kinds(rig.reportsOf(o.id))).toEqual(['ack', 'fill', 'cancelled']);
    expect(o.reason).toBe('cancelled by request');
    expect(mock.byClOrdId(cl(o)).status).toBe('canceled');
    expect(mock.calls('CancelOrder').map((r) => r.params.txid)).toEqual([o.venueOrderId]);
  });

  it('cancel before the venue has answered the placement: sent as soon as it has, then reported', async () => {
    rig = await startRig({ mock });
    mock.failPlace({ kind: 'timeout', create: true }); // injected: the placement answer never comes
    const o = rig.submit();
    rig.venue.cancel(o); // while still pending
    await waitFor(() => o.state === 'cancelled', 'cancelled');
    expect(kinds(rig.reportsOf(o.id))).toEqual(['ack', 'cancelled']);
    expect(placed(o)).toHaveLength(1);
    expect(mock.byClOrdId(cl(o)).status).toBe('canceled');
  });

  it('a cancel that races a fill: Kraken says "Unknown order", the fill is reported and the order ends filled', async () => {
    rig = await startRig({ mock });
    await rig.live();
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack');
    const cancels = mock.calls('CancelOrder').length;
    mock.fill(cl(o), { vol: '0.001', price: '64000.0' }); // injected: filled before the cancel arrives
    rig.venue.cancel(o);
    await waitFor(() => o.state === 'filled', 'filled');
    await waitFor(() => mock.calls('CancelOrder').slice(cancels).some((r) => r.answeredAt > 0), 'cancel answered');
    expect(mock.calls('CancelOrder').slice(cancels).map((r) => r.errors)).toEqual([['EOrder:Unknown order']]);
    expect(kinds(rig.reportsOf(o.id))).toEqual(['ack', 'fill']);
  });

  it('the venue ends an IOC remainder itself: fill, then cancelled with the venue\'s reason', async () => {
    rig = await startRig({ mock });
    await rig.live();
    const o = rig.submit({ tif: 'IOC', qty: '0.003' });
    await waitFor(() => o.state === 'working', 'ack');
    expect(mock.byClOrdId(cl(o))).toMatchObject({ ordertype: 'limit', timeinforce: 'IOC' });
    mock.fill(cl(o), { vol: '0.001', price: '64000.0' });
    mock.endAtVenue(cl(o), 'canceled', 'Immediate or cancel'); // injected
    await waitFor(() => o.state === 'cancelled', 'cancelled');
    expect(kinds(rig.reportsOf(o.id))).toEqual(['ack', 'fill', 'cancelled']);
    expect(o.reason).toBe('Immediate or cancel');
  });
});

describe('AddOrder parameters for each type and time in force', () => {
  it('map as Kraken names them (stop-loss-limit: price = trigger, price2 = limit)', () => {
    const params = (input: Parameters<typeof pendingOrder>[0]) => {
      const r = addOrderParams(pendingOrder({ clientOrderId: 'client-42', ...input }), 'XBTUSD');
      return r.ok ? r.params : r.reason;
    };
    const base = { type: 'buy', volume: '0.00100000', pair: 'XBTUSD', cl_ord_id: 'client-42' };
    expect(params({ tif: 'GTC' })).toEqual({ ...base, ordertype: 'limit', price: '64000.0', timeinforce: 'GTC', oflags: 'fciq' });
    expect(params({ tif: 'IOC' })).toEqual({ ...base, ordertype: 'limit', price: '64000.0', timeinforce: 'IOC', oflags: 'fciq' });
    expect(params({ postOnly: true })).toEqual({ ...base, ordertype: 'limit', price: '64000.0', timeinforce: 'GTC', oflags: 'post,fciq' });
    expect(params({ type: 'market', price: undefined })).toEqual({ ...base, ordertype: 'market', oflags: 'fciq' });
    expect(params({ type: 'stop-limit', side: 'sell', price: '60000.0', stopPrice: '60100.0' })).toEqual({
      ...base, type: 'sell', ordertype: 'stop-loss-limit', price: '60100.0', price2: '60000.0', timeinforce: 'GTC', oflags: 'fciq',
    });
    expect(params({ tif: 'FOK' })).toMatch(/no fill-or-kill/);
    expect(params({ type: 'stop-limit', postOnly: true, price: '60000.0', stopPrice: '60100.0' })).toMatch(/post-only/);
    expect(params({ reduceOnly: true })).not.toHaveProperty('reduce_only');
  });
});
