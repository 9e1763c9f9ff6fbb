/**
 * https://developer.oanda.com/rest-live-v20/pricing-ep/
 * Snapshot + a stream of updates through the real engine: the engine's full-depth book equals the
 * mock's level by level, and every PRICE after the first went in as a diff (no resyncs, no gaps).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { counters, expectExact, startRig, SYMBOLS, untilCounter, venue, type Rig } from './support';

let rig: Rig;
beforeAll(async () => {
  rig = await startRig({ intervalMs: 4, burst: 3 });
});
afterAll(async () => rig?.close());

describe('oanda book through the engine', () => {
  it('declares the instruments with tick and lot sizes from the account instruments', async () => {
    const v = await venue(rig.h);
    expect(v.symbols).toEqual([...SYMBOLS]);
    expect(rig.h.pulse.engine.hosts[0]!.instruments).toEqual([
      { symbol: 'EUR-USD', tickSize: '0.00001', lotSize: '1' },
      { symbol: 'GBP-USD', tickSize: '0.00001', lotSize: '1' },
      { symbol: 'USD-JPY', tickSize: '0.001', lotSize: '1' },
    ]);
  });

  it('equals the mock level by level after snapshot + streamed diffs, twice over', async () => {
    // Nothing injected: the mock streams ~750 PRICEs/s over three instruments.
    await expectExact(rig);
    await new Promise((r) => setTimeout(r, 1500));
    await expectExact(rig);
    await untilCounter(rig.h, 'updates', 300);
    const c = await counters(rig.h);
    expect(c.messages).toBeGreaterThan(c.updates);
    expect(c).toMatchObject({ gaps: 0, badMessages: 0, resyncs: 0, reconnects: 0, checksumFailures: 0 });
    const v = await venue(rig.h);
    expect(v.state).toBe('live');
    expect(v.staleBooks).toEqual([]);
    expect(rig.watch.samples).toBeGreaterThan(10);
    rig.watch.assertClean();
  });
});
