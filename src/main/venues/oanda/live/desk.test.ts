/**
 * The adapter under the real trading desk (risk, journal, positions) against the mock venue: the
 * restart every live venue must survive (restartScenario in trading/live/testing/desk-restart.ts
 * says what is injected and what must hold), with this venue's fills and fees.
 */
import { describe, expect, it } from 'vitest';
import { mockVenueHooks } from '../../../trading/live/testing/mock-hooks';
import { restartScenario } from '../../../trading/live/testing/desk-restart';
import { OandaExecution } from './execution';
import { OandaExecMock } from './tests/mock-exec-server';
import { FAST_OPTIONS, FAST_RESILIENCE, PRECISIONS, cid } from './tests/support';

let mock: OandaExecMock;
mockVenueHooks(async () => (mock = await OandaExecMock.start({ heartbeatMs: 100 })), () => undefined);

describe('live OANDA under the desk', () => {
  it('restart: restores the working order and books only the fill made while the engine was down', async () => {
    const clientOrderId = cid('desk');
    const { logs } = await restartScenario({
      venue: 'oanda', instrument: { symbol: 'EUR-USD', tickSize: '0.00001', lotSize: '1' }, bestBid: 109_999, bestAsk: 110_001, levelLots: 1_000_000,
      settings: { restUrl: mock.url, streamUrl: mock.url, resilience: FAST_RESILIENCE },
      credentials: { token: mock.token, accountId: mock.accountId },
      precision: (s) => PRECISIONS[s],
      adapter: (ctx) => new OandaExecution(ctx, FAST_OPTIONS),
      order: { clientOrderId, qty: '3000', price: '1.10000' },
      acked: (order) => expect(order.venueOrderId).toBe(mock.byClientId(clientOrderId).id),
      fillFirst: (id) => mock.fill(id, { units: 1000, price: '1.10000', commission: '0.1000' }),
      fillWhileDown: (id) => mock.fill(id, { units: 2000, price: '1.09998' }),
      fills: [
        ['1000', '1.10000', 'taker', '0.10000000'],
        ['2000', '1.09998', 'taker', '0.00000000'],
      ],
      position: '3000',
      atVenue: (id) => mock.ordersWithClientId(id).length,
    });
    expect(mock.requestsTo('POST', /\/orders$/).filter((r) => r.body?.includes(clientOrderId))).toHaveLength(1);
    expect(logs.join('\n')).not.toContain(mock.token);
  });
});
