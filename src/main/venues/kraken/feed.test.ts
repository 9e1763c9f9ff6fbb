// The Kraken feed in the real engine (collector worker, rings, REST API) against the protocol-true
// mock in tests/mock-server.ts: exact books, trades, and metadata that takes retries to load.
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../../testing/book-client';
import { DEPTH, SYMBOLS, counterAbove, expectExact, startEnv, waitForLog, watch, type Env } from './tests/engine-env';

let env: Env | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

describe('Kraken feed in the engine', () => {
  // Input: snapshots at depth 25, then ~100 updates/s for 2 s over BTC/USD and ETH/USD (size
  // changes, inserts that push levels out of scope, removals that pull levels in, trades).
  // Must hold: with the stream paused, the engine's book (REST, full depth) equals the mock's top 25
  // level by level; every live sample on the way was a book Kraken sent; no failure counted; trades arrive.
  it('keeps books equal to the venue through a stream of updates', async () => {
    env = await startEnv();
    for (const s of SYMBOLS) await expectExact(env, s);
    const w = watch(env);
    await new Promise((r) => setTimeout(r, 2000));
    const seen = await w.stop();
    for (const s of SYMBOLS) await expectExact(env, s);
    expect(seen.violations).toEqual([]);
    expect(seen.samples).toBeGreaterThan(20);
    await until(() => env!.h.pulse.engine.hosts[0]!.counters.updates > 100, 5000, 'updates counted');
    const v = await env.venue();
    expect(v.state).toBe('live');
    expect(v.staleBooks).toEqual([]);
    expect(v.counters).toMatchObject({ checksumFailures: 0, badMessages: 0, gaps: 0, reconnects: 0 });
    expect(v.counters.trades).toBeGreaterThan(0);
    expect(env.mock.stats.connections).toBe(1);
    const b = await env.h.book('kraken', 'BTC-USD');
    expect(b.bids).toHaveLength(DEPTH);
    expect(b.bids[0]![0]).toMatch(/^\d+\.\d$/);
    expect(b.bids[0]![1]).toMatch(/^\d+\.\d{8}$/);
  });

  // Input: GET /0/public/AssetPairs fails 5 times (503, Kraken's EService error in an HTTP 200,
  // 500, 429, EService:Busy), then answers. Also a symbol Kraken does not list.
  // Must hold: each failure is logged and counted (restRetries), the feed starts on the sixth answer
  // and its books become exact; the unlisted symbol is logged and left out.
  it('retries instrument metadata until Kraken answers', async () => {
    env = await startEnv({ restFailures: 5 });
    await expectExact(env, 'BTC-USD', 15_000);
    expect(env.mock.stats.restCalls).toBe(6);
    const retries = env.logs().filter((l) => /GET \/0\/public\/AssetPairs failed/.test(l));
    expect(retries).toHaveLength(5);
    expect(retries.join('\n')).toMatch(/HTTP 503/);
    expect(retries.join('\n')).toMatch(/EService:Unavailable/);
    expect(await counterAbove(env, 'restRetries', 4)).toBe(5);
    expect((await env.counters()).reconnects).toBe(0);
    expect((await env.venue()).state).toBe('live');
  });

  it('logs symbols Kraken does not list and runs the rest', async () => {
    const { startHarness } = await import('../../testing/engine-harness');
    const { KrakenMock } = await import('./tests/mock-server');
    const mock = await KrakenMock.start({ symbols: ['BTC/USD'] });
    const h = await startHarness({ enabled: ['kraken'], symbols: ['BTC-USD', 'NOPE-USD'], venues: { kraken: { wsUrl: mock.wsUrl, restUrl: mock.restUrl, depth: 10, resilience: { heartbeatTimeoutMs: 1000, backoffInitialMs: 20, backoffMaxMs: 200 } } } });
    env = { mock, h, close: async () => { await h.stop(); await mock.close(); } } as Env;
    await h.liveBook('kraken', 'BTC-USD', (b) => b.bids.length === 10);
    expect(h.pulse.engine.hosts[0]!.symbols).toEqual(['BTC-USD']);
    await waitForLog({ ...env, logs: () => h.pulse.engine.hosts[0]!.recentLogs.map((l) => l.msg) }, /does not list NOPE-USD/);
  });
});
