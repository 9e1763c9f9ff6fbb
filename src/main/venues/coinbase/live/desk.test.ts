/**
 * The adapter under the real trading desk (risk, journal, positions) against the mock venue.
 * Injected: the engine stops after a partial fill, the order fills further at the venue while it
 * is down, the engine starts again on the same journal. What must hold: the desk restores the
 * order to the adapter, which reports only the fills the journal lacks; fills, position and the
 * order's state then match the venue, and nothing is sent to the venue twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrderRequestSchema } from '../../../../shared/trading';
import { deskRestart } from '../../../trading/live/testing/desk-restart';
import { CoinbaseExecution } from './execution';
import { CoinbaseExecMock } from './tests/mock-exec-server';
import { BTC_USD, FAST_OPTIONS, FAST_RESILIENCE, cid, testKey, waitFor } from './tests/support';

let mock: CoinbaseExecMock;
beforeAll(async () => {
  mock = await CoinbaseExecMock.start({ heartbeatMs: 100 });
});
afterAll(async () => {
  await mock?.close();
});

describe('live Coinbase under the desk', () => {
  it('restart: restores the working order and books only the fills made while the engine was down', async () => {
    const key = testKey();
    mock.registerKey(key.name, key.publicKey);
    const { desk } = deskRestart({
      venue: 'coinbase', instrument: BTC_USD, bestBid: 6_399_999, bestAsk: 6_400_001, levelLots: 100_000_000,
      settings: { restUrl: mock.restUrl, wsUrl: mock.wsUrl, resilience: FAST_RESILIENCE },
      credentials: { keyName: key.name, privateKey: key.pem },
      adapter: (ctx) => new CoinbaseExecution(ctx, FAST_OPTIONS),
    });

    const first = desk();
    first.start();
    const req = OrderRequestSchema.parse({ clientOrderId: cid('desk'), venue: 'coinbase', symbol: 'BTC-USD', side: 'buy', type: 'limit', qty: '0.003', price: '64000.00' });
    expect(first.place(req)).toMatchObject({ ok: true, order: { state: 'pending' } });
    const order = () => first.orders.get(req.clientOrderId)!;
    await waitFor(() => order().state === 'working', 'ack');
    mock.fill(req.clientOrderId, { size: '0.001', price: '64000.00', commission: '0.0128' });
    await waitFor(() => order().state === 'partially-filled', 'first fill');
    first.stop(); // injected: the engine goes away

    mock.fill(req.clientOrderId, { size: '0.002', price: '63999.99', liquidity: 'TAKER', commission: '0.128' }); // filled while down

    const second = desk();
    second.start(); // replays the journal, restores the order to a new adapter
    const again = () => second.orders.get(req.clientOrderId)!;
    expect(again().state).toBe('partially-filled');
    await waitFor(() => again().state === 'filled', 'the fill made while down');
    expect(second.fills.map((f) => [f.qty, f.price, f.liquidity])).toEqual([
      ['0.00100000', '64000.00', 'maker'],
      ['0.00200000', '63999.99', 'taker'],
    ]);
    expect(second.positionViews()).toMatchObject([{ venue: 'coinbase', symbol: 'BTC-USD', qty: '0.00300000' }]);
    expect(second.place(req)).toMatchObject({ ok: true, order: { state: 'filled' } }); // a retried command sends nothing
    expect(mock.ordersWithClientId(req.clientOrderId)).toHaveLength(1);
    expect(mock.authFailures).toEqual([]);
    second.stop();
  });
});
