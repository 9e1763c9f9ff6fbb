/**
 * The adapter under the real trading desk (risk, journal, positions) against the mock venue: the
 * restart every live venue must survive (restartScenario in trading/live/testing/desk-restart.ts
 * says what is injected and what must hold), with this venue's fills and fees.
 */
import { describe, it } from 'vitest';
import { mockVenueHooks } from '../../../trading/live/testing/mock-hooks';
import { restartScenario } from '../../../trading/live/testing/desk-restart';
import { KrakenExecution } from './execution';
import { KrakenExecMock } from './tests/mock-exec-server';
import { BTC_USD, FAST_OPTIONS, FAST_RESILIENCE, cid, cl, testKey } from './tests/support';

let mock: KrakenExecMock;
mockVenueHooks(async () => (mock = await KrakenExecMock.start({ heartbeatMs: 100 })), () => undefined);

describe('live Kraken under the desk', () => {
  it('restart: restores the working order and books only the fills made while the engine was down', async () => {
    const key = testKey();
    mock.registerKey(key.apiKey, key.secret);
    await restartScenario({
      venue: 'kraken', instrument: BTC_USD, bestBid: 639_999, bestAsk: 640_001, levelLots: 100_000_000,
      settings: { restUrl: mock.restUrl, wsUrl: mock.wsUrl, resilience: FAST_RESILIENCE },
      credentials: { apiKey: key.apiKey, secret: key.secret },
      adapter: (ctx) => new KrakenExecution(ctx, FAST_OPTIONS),
      order: { clientOrderId: cid('dk'), qty: '0.003', price: '64000.0' },
      fillFirst: (id) => mock.fill(cl(id), { vol: '0.001', price: '64000.0', fee: '0.0128' }),
      fillWhileDown: (id) => mock.fill(cl(id), { vol: '0.002', price: '63999.9', maker: false, fee: '0.128' }),
      fills: [
        ['0.00100000', '64000.0', 'maker', '0.01280000'],
        ['0.00200000', '63999.9', 'taker', '0.12800000'],
      ],
      position: '0.00300000',
      atVenue: (id) => mock.ordersWith(cl(id)).length,
    });
  });
});
