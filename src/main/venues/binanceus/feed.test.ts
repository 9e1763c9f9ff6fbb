/**
 * The Binance.US feed in the real engine against the mock venue over loopback sockets.
 * Docs: https://github.com/binance-us/binance-us-api-docs/blob/master/web-socket-streams.md
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVenue, type VenueUnderTest } from './tests/engine-support';

let v: VenueUnderTest;
beforeAll(async () => {
  v = await startVenue({ symbols: ['BTC-USD', 'ETH-USD', 'DOGE-USD', 'XRP-USD'] });
});
afterAll(async () => v?.stop());

describe('Binance.US feed in the engine', () => {
  it('subscribes only to listed, trading symbols and says why not for the others', async () => {
    await v.eventually(() => v.h.pulse.engine.hosts[0]!.symbols.length > 0, 'instruments');
    expect(v.h.pulse.engine.hosts[0]!.instruments).toEqual([
      { symbol: 'BTC-USD', tickSize: '0.01', lotSize: '0.00001' },
      { symbol: 'ETH-USD', tickSize: '0.01', lotSize: '0.0001' },
    ]);
    const logs = v.logs();
    expect(logs).toContainEqual('binanceus: not subscribing DOGE-USD: not listed by Binance.US');
    expect(logs).toContainEqual('binanceus: not subscribing XRP-USD: status BREAK, not TRADING');
  });

  it('snapshot + a stream of diffs: the engine book equals the mock book level by level (full depth)', async () => {
    // Injected: nothing. Holds: after a couple of hundred diff events and trades, both books are live and exact.
    await v.eventually(async () => (await v.counters()).updates > 200, "200 book updates");
    for (const s of ['BTC-USD', 'ETH-USD']) await v.expectMatch(s);
    const c = await v.counters();
    expect(c).toMatchObject({ gaps: 0, badMessages: 0, reconnects: 0 });
    expect(c.trades).toBeGreaterThan(0);
    expect(v.mock.depthRequests.filter((r) => r.status === 200).length).toBe(2);
    expect(v.logs()).toContainEqual(expect.stringMatching(/BTC-USD: book live from snapshot lastUpdateId=\d+/));
    expect(v.crossedLive).toEqual([]);
  });

  it('a quiet market (no events for 3 heartbeat timeouts) stays connected: pings answered by pongs feed the watchdog', async () => {
    // Injected: the mock stops generating events but keeps answering pings. Holds: no reconnect, books stay live.
    const before = await v.counters();
    v.mock.paused = true;
    await new Promise((r) => setTimeout(r, 3000));
    const during = await v.counters();
    expect(await v.staleBooks()).toEqual([]);
    v.mock.paused = false;
    expect(during.reconnects).toBe(before.reconnects);
    expect(v.logs()).not.toContainEqual(expect.stringMatching(/silent for/));
    await v.expectMatch('BTC-USD');
  });
});
