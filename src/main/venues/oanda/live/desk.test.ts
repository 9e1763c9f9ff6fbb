/**
 * The adapter under the real trading desk (risk, journal, positions) against the mock OANDA.
 * Injected: the engine stops after a partial fill, OANDA fills the rest while it is down, the
 * engine starts again on the same journal. What must hold: the desk restores the order to a new
 * adapter, which reports only the fill the journal lacks; fills, position and the order's state
 * then match OANDA, and nothing is sent to OANDA twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrderRequestSchema } from '../../../../shared/trading';
import { deskRestart } from '../../../trading/live/testing/desk-restart';
import { OandaExecution } from './execution';
import { OandaExecMock } from './tests/mock-exec-server';
import { FAST_OPTIONS, FAST_RESILIENCE, PRECISIONS, cid, waitFor } from './tests/support';

let mock: OandaExecMock;
beforeAll(async () => {
  mock = await OandaExecMock.start({ heartbeatMs: 100 });
});
afterAll(async () => {
  await mock?.close();
});

describe('live OANDA under the desk', () => {
  it('restart: restores the working order and books only the fill made while the engine was down', async () => {
    const { desk, logs } = deskRestart({
      venue: 'oanda', instrument: { symbol: 'EUR-USD', tickSize: '0.00001', lotSize: '1' }, bestBid: 109_999, bestAsk: 110_001, levelLots: 1_000_000,
      settings: { restUrl: mock.url, streamUrl: mock.url, resilience: FAST_RESILIENCE },
      credentials: { token: mock.token, accountId: mock.accountId },
      precision: (s) => PRECISIONS[s],
      adapter: (ctx) => new OandaExecution(ctx, FAST_OPTIONS),
    });

    const first = desk();
    first.start();
    const req = OrderRequestSchema.parse({ clientOrderId: cid('desk'), venue: 'oanda', symbol: 'EUR-USD', side: 'buy', type: 'limit', qty: '3000', price: '1.10000' });
    expect(first.place(req)).toMatchObject({ ok: true, order: { state: 'pending' } });
    const order = () => first.orders.get(req.clientOrderId)!;
    await waitFor(() => order().state === 'working', 'ack');
    expect(order().venueOrderId).toBe(mock.byClientId(req.clientOrderId).id);
    mock.fill(req.clientOrderId, { units: 1000, price: '1.10000', commission: '0.1000' });
    await waitFor(() => order().state === 'partially-filled', 'first fill');
    first.stop(); // injected: the engine goes away

    mock.fill(req.clientOrderId, { units: 2000, price: '1.09998' }); // filled while down

    const second = desk();
    second.start(); // replays the journal, restores the order to a new adapter
    const again = () => second.orders.get(req.clientOrderId)!;
    expect(again().state).toBe('partially-filled');
    await waitFor(() => again().state === 'filled', 'the fill made while down');
    expect(second.fills.map((f) => [f.qty, f.price, f.fee, f.liquidity])).toEqual([
      ['1000', '1.10000', '0.10000000', 'taker'],
      ['2000', '1.09998', '0.00000000', 'taker'],
    ]);
    expect(second.positionViews()).toMatchObject([{ venue: 'oanda', symbol: 'EUR-USD', qty: '3000' }]);
    expect(second.place(req)).toMatchObject({ ok: true, order: { state: 'filled' } }); // a retried command sends nothing
    expect(mock.ordersWithClientId(req.clientOrderId)).toHaveLength(1);
    expect(mock.requestsTo('POST', /\/orders$/).filter((r) => r.body?.includes(req.clientOrderId))).toHaveLength(1);
    expect(mock.authFailures).toBe(0);
    expect(logs.join('\n')).not.toContain(mock.token);
    second.stop();
  });
});
