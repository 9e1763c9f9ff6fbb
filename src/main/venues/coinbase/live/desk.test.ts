/**
 * The adapter under the real trading desk (risk, journal, positions) against the mock venue: the
 * restart every live venue must survive (restartScenario in trading/live/testing/desk-restart.ts
 * says what is injected and what must hold), with this venue's fills and fees.
 */
import { describe, it } from 'vitest';
import { mockVenueHooks } from '../../../trading/live/testing/mock-hooks';
import { restartScenario } from '../../../trading/live/testing/desk-restart';
import { CoinbaseExecution } from './execution';
import { CoinbaseExecMock } from './tests/mock-exec-server';
import { BTC_USD, FAST_OPTIONS, FAST_RESILIENCE, cid, testKey } from './tests/support';

let mock: CoinbaseExecMock;
mockVenueHooks(async () => (mock = await CoinbaseExecMock.start({ heartbeatMs: 100 })), () => undefined);

describe('live Coinbase under the desk', () => {
  it('restart: restores the working order and books only the fills made while the engine was down', async () => {
    const key = testKey();
    mock.registerKey(key.name, key.publicKey);
    await restartScenario({
      venue: 'coinbase', instrument: BTC_USD, bestBid: 6_399_999, bestAsk: 6_400_001, levelLots: 100_000_000,
      settings: { restUrl: mock.restUrl, wsUrl: mock.wsUrl, resilience: FAST_RESILIENCE },
      credentials: { keyName: key.name, privateKey: key.pem },
      adapter: (ctx) => new CoinbaseExecution(ctx, FAST_OPTIONS),
      order: { clientOrderId: cid('desk'), qty: '0.003', price: '64000.00' },
      fillFirst: (id) => mock.fill(id, { size: '0.001', price: '64000.00', commission: '0.0128' }),
      fillWhileDown: (id) => mock.fill(id, { size: '0.002', price: '63999.99', liquidity: 'TAKER', commission: '0.128' }),
      fills: [
        ['0.00100000', '64000.00', 'maker', '0.01280000'],
        ['0.00200000', '63999.99', 'taker', '0.12800000'],
      ],
      position: '0.00300000',
      atVenue: (id) => mock.ordersWithClientId(id).length,
    });
  });
});
