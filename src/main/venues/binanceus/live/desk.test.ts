/**
 * The adapter under the real trading desk (risk, journal, positions) against the mock venue.
 * Injected: the engine stops after a partial fill, the order fills further at the venue while it
 * is down, the engine starts again on the same journal. What must hold: the desk restores the
 * order to the adapter, which reports only the fills the journal lacks; fills, fees, position and
 * the order's state then match the venue, and nothing is sent to the venue twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrderRequestSchema } from '../../../../shared/trading';
import { deskRestart } from '../../../trading/live/testing/desk-restart';
import { createBinanceUsExecution } from './execution';
import { BinanceUsExecMock } from './tests/mock-exec-server';
import { BTC_USD, FAST_RESILIENCE, cid, waitFor } from './tests/support';

let mock: BinanceUsExecMock;
beforeAll(async () => {
  mock = await BinanceUsExecMock.start();
});
afterAll(async () => {
  await mock?.close();
});

describe('live Binance.US under the desk', () => {
  it('restart: restores the working order and books only the fills made while the engine was down', async () => {
    const { apiKey, secret } = mock.newAccount();
    const { desk, logs } = deskRestart({
      venue: 'binanceus', instrument: BTC_USD, bestBid: 6_700_000, bestAsk: 6_700_001, levelLots: 50_000,
      settings: { restUrl: mock.restUrl, wsUrl: mock.wsUrl, resilience: FAST_RESILIENCE },
      credentials: { apiKey, secret },
      adapter: (ctx) => createBinanceUsExecution(ctx), // the factory the engine uses, default options
    });

    const first = desk();
    first.start();
    const req = OrderRequestSchema.parse({ clientOrderId: cid('desk'), venue: 'binanceus', symbol: 'BTC-USD', side: 'buy', type: 'limit', qty: '0.003', price: '66900.00' });
    expect(first.place(req)).toMatchObject({ ok: true, order: { state: 'pending' } });
    const order = () => first.orders.get(req.clientOrderId)!;
    await waitFor(() => order().state === 'working', 'ack');
    await waitFor(() => mock.liveStreams > 0, 'the user stream');
    await waitFor(() => logs.some((l) => /user stream live/.test(l)), 'the user stream live');
    mock.fill(req.clientOrderId, { qty: '0.001', commission: '0.06690000' });
    await waitFor(() => order().state === 'partially-filled', 'first fill');
    first.stop(); // injected: the engine goes away

    mock.fill(req.clientOrderId, { qty: '0.002', price: '66899.99', maker: false, commission: '0.13379998' }); // filled while down

    const second = desk();
    second.start(); // replays the journal, restores the order to a new adapter
    const again = () => second.orders.get(req.clientOrderId)!;
    expect(again().state).toBe('partially-filled');
    await waitFor(() => again().state === 'filled', 'the fill made while down');
    expect(second.fills.map((f) => [f.qty, f.price, f.liquidity, f.fee])).toEqual([
      ['0.00100', '66900.00', 'maker', '0.06690000'],
      ['0.00200', '66899.99', 'taker', '0.13379998'],
    ]);
    expect(second.positionViews()).toMatchObject([{ venue: 'binanceus', symbol: 'BTC-USD', qty: '0.00300' }]);
    expect(second.place(req)).toMatchObject({ ok: true, order: { state: 'filled' } }); // a retried command sends nothing
    expect(mock.ordersWithClientId(req.clientOrderId)).toHaveLength(1);
    expect(mock.authFailures).toEqual([]);
    second.stop();
  });
});
