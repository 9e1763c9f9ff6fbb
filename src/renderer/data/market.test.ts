import { describe, expect, it } from 'vitest';
import { FrameWriter, VenueState } from '../../shared/frames';
import { encodeVenueStatus } from '../../shared/frame-codec';
import { Market } from './market';
import { emptyFields } from './venue-board';
import { delta, snapshot, trades } from './test-frames';

function setup() {
  const requests: string[] = [];
  let now = 0;
  const market = new Market((v, s) => requests.push(`${v}/${s}`), () => now, () => 5_000);
  return { market, requests, advance: (ms: number) => (now += ms) };
}

describe('Market', () => {
  it('routes book frames and asks for a snapshot on a gap, once, then retries', () => {
    const { market, requests, advance } = setup();
    const book = market.track('sim', 'BTC-USD');
    market.onFrame(snapshot(1, [[100, 1]], [[101, 1]]).buf);
    market.onFrame(delta(1, 2, [[100, 2]], []).buf);
    expect(book.bids.qtyAt(0)).toBe(2);
    market.onFrame(delta(3, 4, [[100, 3]], []).buf);
    market.onFrame(delta(4, 5, [[100, 4]], []).buf);
    expect(requests).toEqual(['sim/BTC-USD']);
    expect(market.stats.gaps).toBe(1);
    advance(1000);
    market.retrySnapshots();
    expect(requests).toHaveLength(1);
    advance(5000);
    market.retrySnapshots();
    expect(requests).toHaveLength(2);
    market.onFrame(snapshot(5, [[100, 4]], []).buf);
    expect(book.stale).toBe(false);
  });

  it('feeds trades into the ring and the candles, and ignores unsubscribed books', () => {
    const { market } = setup();
    market.track('sim', 'BTC-USD');
    market.onFrame(trades([[1e12, 100, 2, 0], [1e12 + 10, 101, 1, 1]]).buf);
    market.onFrame(trades([[1e12, 100, 2, 0]], 'sim', 'ETH-USD').buf);
    const ring = market.tradeRingOf('sim', 'BTC-USD')!;
    expect(ring.total).toBe(2);
    expect(ring.prices[ring.slot(0)]).toBe(101);
    expect(ring.sides[ring.slot(0)]).toBe(1);
    expect(market.candleSetOf('sim', 'BTC-USD')!.get(1).candles[0]).toMatchObject({ open: 100, close: 101, volume: 3 });
    expect(market.stats.strayFrames).toBe(1);
  });

  it('keeps venue status and counts bad frames without throwing', () => {
    const { market } = setup();
    const f = { ...emptyFields(), gaps: 3, latencyP99Us: 2500 };
    market.onFrame(encodeVenueStatus(new FrameWriter(), 'sim', 1, VenueState.Resyncing, f));
    const e = market.venues.entries.get('sim')!;
    expect(e.stateName).toBe('resyncing');
    expect(e.fields.gaps).toBe(3);
    expect(market.venues.isDegraded('sim')).toBe(true);
    market.onFrame(new Uint8Array([1, 2, 3]).buffer);
    expect(market.stats.badFrames).toBe(1);
  });
});
