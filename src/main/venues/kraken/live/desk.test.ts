/**
 * The adapter under the real trading desk (risk, journal, positions) against the mock venue.
 * Injected: the engine stops after a partial fill, the order fills further at the venue while it
 * is down, the engine starts again on the same journal. What must hold: the desk restores the
 * order to the adapter, which reports only the fills the journal lacks; fills, position and the
 * order's state then match the venue, and nothing is sent to the venue twice.
 */
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrderRequestSchema } from '../../../../shared/trading';
import type { PriceTicks, Qty } from '../../../../shared/units';
import { MarketBook } from '../../../market/market-book';
import { TradingDesk } from '../../../trading/desk';
import { RiskLimitsSchema } from '../../../trading/limits';
import type { LiveAdapterContext } from '../../../trading/live';
import { KrakenExecution } from './execution';
import { KrakenExecMock } from './tests/mock-exec-server';
import { BTC_USD, FAST_OPTIONS, FAST_RESILIENCE, PRECISION, cid, cl, testKey, waitFor } from './tests/support';

let mock: KrakenExecMock;
beforeAll(async () => {
  mock = await KrakenExecMock.start({ heartbeatMs: 100 });
});
afterAll(async () => {
  await mock?.close();
});

function krakenBook(): MarketBook {
  const mb = new MarketBook('kraken', BTC_USD);
  mb.begin(0, true);
  for (let i = 0; i < 5; i++) {
    mb.level(0, (639_999 - i) as PriceTicks, 100_000_000 as Qty, 0);
    mb.level(1, (640_001 + i) as PriceTicks, 100_000_000 as Qty, 0);
  }
  mb.end(1, true, 0);
  return mb;
}

describe('live Kraken under the desk', () => {
  it('restart: restores the working order and books only the fills made while the engine was down', async () => {
    const key = testKey();
    mock.registerKey(key.apiKey, key.secret);
    const dir = mkdtempSync(join(process.platform === 'linux' ? '/dev/shm' : '/tmp', 'pulse-kr-live-'));
    const book = krakenBook();
    const logs: string[] = [];
    const desk = () =>
      new TradingDesk({
        journalPath: join(dir, 'journal.ndjson'),
        limits: RiskLimitsSchema.parse({}),
        fees: { takerFeeBps: 10, makerFeeBps: 2 },
        findBook: (venue, symbol) => (venue === 'kraken' && symbol === 'BTC-USD' ? book : undefined),
        broadcast: () => {},
        live: (venue, report) => {
          if (venue !== 'kraken') return undefined;
          const ctx: LiveAdapterContext = {
            venue, report, now: Date.now, precision: () => PRECISION,
            settings: { restUrl: mock.restUrl, wsUrl: mock.wsUrl, resilience: FAST_RESILIENCE },
            credentials: { apiKey: key.apiKey, secret: key.secret },
            log: (level, msg) => void logs.push(`${level} ${msg}`),
          };
          return new KrakenExecution(ctx, FAST_OPTIONS);
        },
      });

    const first = desk();
    first.start();
    const req = OrderRequestSchema.parse({ clientOrderId: cid('dk'), venue: 'kraken', symbol: 'BTC-USD', side: 'buy', type: 'limit', qty: '0.003', price: '64000.0' });
    expect(first.place(req)).toMatchObject({ ok: true, order: { state: 'pending' } });
    const order = () => first.orders.get(req.clientOrderId)!;
    await waitFor(() => order().state === 'working', 'ack');
    mock.fill(cl(req.clientOrderId), { vol: '0.001', price: '64000.0', fee: '0.0128' });
    await waitFor(() => order().state === 'partially-filled', 'first fill');
    first.stop(); // injected: the engine goes away

    mock.fill(cl(req.clientOrderId), { vol: '0.002', price: '63999.9', maker: false, fee: '0.128' }); // filled while down

    const second = desk();
    second.start(); // replays the journal, restores the order to a new adapter
    const again = () => second.orders.get(req.clientOrderId)!;
    expect(again().state).toBe('partially-filled');
    await waitFor(() => again().state === 'filled', 'the fill made while down');
    expect(second.fills.map((f) => [f.qty, f.price, f.liquidity])).toEqual([
      ['0.00100000', '64000.0', 'maker'],
      ['0.00200000', '63999.9', 'taker'],
    ]);
    expect(second.positionViews()).toMatchObject([{ venue: 'kraken', symbol: 'BTC-USD', qty: '0.00300000' }]);
    expect(second.place(req)).toMatchObject({ ok: true, order: { state: 'filled' } }); // a retried command sends nothing
    expect(mock.ordersWith(cl(req.clientOrderId))).toHaveLength(1);
    expect(mock.authFailures).toEqual([]);
    second.stop();
  });
});
