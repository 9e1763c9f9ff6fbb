/**
 * The adapter under the real trading desk (risk, journal, positions) against the mock venue: the
 * restart every live venue must survive (restartScenario in trading/live/testing/desk-restart.ts
 * says what is injected and what must hold), with this venue's fills and fees.
 */
import { describe, it } from 'vitest';
import { mockVenueHooks } from '../../../trading/live/testing/mock-hooks';
import { restartScenario } from '../../../trading/live/testing/desk-restart';
import { createBinanceUsExecution } from './execution';
import { BinanceUsExecMock } from './tests/mock-exec-server';
import { BTC_USD, FAST_RESILIENCE, cid, waitFor } from './tests/support';

let mock: BinanceUsExecMock;
mockVenueHooks(async () => (mock = await BinanceUsExecMock.start()), () => undefined);

describe('live Binance.US under the desk', () => {
  it('restart: restores the working order and books only the fills made while the engine was down', async () => {
    const { apiKey, secret } = mock.newAccount();
    await restartScenario({
      venue: 'binanceus', instrument: BTC_USD, bestBid: 6_700_000, bestAsk: 6_700_001, levelLots: 50_000,
      settings: { restUrl: mock.restUrl, wsUrl: mock.wsUrl, resilience: FAST_RESILIENCE },
      credentials: { apiKey, secret },
      adapter: (ctx) => createBinanceUsExecution(ctx), // the factory the engine uses, default options
      order: { clientOrderId: cid('desk'), qty: '0.003', price: '66900.00' },
      // Binance.US reports fills on the user data stream only: wait for it before the first
      acked: async (_order, logs) => {
        await waitFor(() => mock.liveStreams > 0, 'the user stream');
        await waitFor(() => logs.some((l) => /user stream live/.test(l)), 'the user stream live');
      },
      fillFirst: (id) => mock.fill(id, { qty: '0.001', commission: '0.06690000' }),
      fillWhileDown: (id) => mock.fill(id, { qty: '0.002', price: '66899.99', maker: false, commission: '0.13379998' }),
      fills: [
        ['0.00100', '66900.00', 'maker', '0.06690000'],
        ['0.00200', '66899.99', 'taker', '0.13379998'],
      ],
      position: '0.00300',
      atVenue: (id) => mock.ordersWithClientId(id).length,
    });
  });
});
