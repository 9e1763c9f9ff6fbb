// Coinbase Advanced Trade WebSocket channels: https://docs.cdp.coinbase.com/coinbase-app/advanced-trade-apis/websocket/websocket-channels
/**
 * The real engine (worker, rings, REST API) on the mock venue over loopback sockets.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../../testing/engine-harness';
import { until } from '../../testing/book-client';
import { CoinbaseMock } from './tests/mock-server';
import { counters, expectExact, logLine, startCoinbase, status, watchBooks } from './tests/harness-support';

const SYMBOLS = ['BTC-USD', 'ETH-USD', 'SOL-USD'];

describe('a stream of updates', () => {
  let mock: CoinbaseMock;
  let h: Harness;
  beforeAll(async () => {
    mock = await CoinbaseMock.start({ intervalMs: 2, updatesPerTick: 3, levels: 80 });
    h = await startCoinbase(mock, { symbols: [...SYMBOLS, 'DOGE-USD'] });
  });
  afterAll(async () => {
    await h?.stop();
    await mock?.close();
  });

  it('from the snapshot and ~1,500 updates/s, every engine book equals the mock book level by level (full depth)', async () => {
    const watch = watchBooks(h);
    await h.liveBook('coinbase', 'BTC-USD');
    const before = (await status(h)).counters.updates as number;
    await counters(h, (c) => c.updates > before + 1500 && c.trades > 10, 'updates and trades flowing');
    await expectExact(h, mock, SYMBOLS);
    const s = await status(h);
    expect(s).toMatchObject({ state: 'live', staleBooks: [], symbols: SYMBOLS });
    expect(s.counters).toMatchObject({ gaps: 0, badMessages: 0, reconnects: 0 });
    expect(s.latencyP50Us + h.pulse.engine.hosts[0]!.latency.totalCount).toBeGreaterThan(0);
    expect(watch.stop()).toEqual([]);
  });

  it('a symbol the venue does not list is left out with a log line', async () => {
    expect(await logLine(h, /not subscribing to DOGE-USD: the venue does not list it/)).toMatch(/HTTP 404/);
  });
});

describe('product metadata', () => {
  let mock: CoinbaseMock | undefined;
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    await mock?.close();
    h = mock = undefined;
  });

  it('a REST endpoint that fails 5 times then succeeds: retried with a log line per failure, then exact books', async () => {
    mock = await CoinbaseMock.start();
    mock.failRest(5);
    h = await startCoinbase(mock, { symbols: ['BTC-USD', 'ETH-USD'] });
    await until(() => h!.pulse.engine.hosts[0]!.books.length === 2, 8000, 'instruments');
    expect(mock.restRequests).toBeGreaterThanOrEqual(7);
    await logLine(h, /product metadata request failed \(attempt \d\): coinbase GET \/api\/v3\/brokerage\/market\/products\/[A-Z]+-USD: HTTP 500/);
    await expectExact(h, mock, ['BTC-USD', 'ETH-USD']);
    expect((await status(h)).state).toBe('live');
  });

  it('no symbol listed: the venue stops with the reason, nothing crashes', async () => {
    mock = await CoinbaseMock.start();
    h = await startCoinbase(mock, { symbols: ['DOGE-USD'] });
    await until(() => h!.pulse.engine.hosts[0]!.state === 'stopped', 5000, 'stopped');
    expect((await status(h)).stateReason).toMatch(/none of DOGE-USD is listed/);
    expect(mock.connections).toBe(0);
  });
});
