import { describe, expect, it } from 'vitest';
import { SIM_INSTRUMENTS, SimVenue, type SimSink, type SimVenueConfig } from './index';
import { CheckingSink, HashSink } from './test-support';

const EPOCH = 1_700_000_000_000_000;
const config = (over: Partial<SimVenueConfig> = {}): SimVenueConfig => ({
  venue: 'sim-a',
  seed: 42,
  updatesPerSecond: 5_000,
  epochMicros: EPOCH,
  ...over,
});

function streamHash(cfg: SimVenueConfig, steps: number[]): string {
  const v = new SimVenue(cfg);
  const sink = new HashSink();
  for (const t of steps) v.advanceTo(t, sink);
  return sink.digest();
}

describe('SimVenue determinism', () => {
  // Tried: two instances built from one config, run over 5 simulated seconds (~25k updates).
  // Must hold: byte-identical event streams; another seed or another venue id gives another stream.
  it('same config gives the same stream; seed and venue change it', () => {
    const steps = [5_000_000];
    const a = streamHash(config(), steps);
    expect(streamHash(config(), steps)).toBe(a);
    expect(streamHash(config({ seed: 43 }), steps)).not.toBe(a);
    expect(streamHash(config({ venue: 'sim-b' }), steps)).not.toBe(a);
  });

  // Tried: the same 5 s in one advanceTo, in uneven pieces, and in pieces capped by maxUpdates.
  // Must hold: the same stream, since update times come from simulated slots, not from calls.
  it('splitting advanceTo does not change the stream', () => {
    const whole = streamHash(config(), [5_000_000]);
    expect(streamHash(config(), [1, 777_777, 2_500_000, 2_500_001, 4_999_999, 5_000_000])).toBe(whole);
    const v = new SimVenue(config());
    const sink = new HashSink();
    let guard = 0;
    while (v.simTimeMicros < 5_000_000 && guard++ < 10_000) v.advanceTo(5_000_000, sink, 97);
    expect(sink.digest()).toBe(whole);
  });

  it('starts with the configured symbols and depth, and never reads a clock', () => {
    const v = new SimVenue(config({ symbols: ['SOL-USD', 'BTC-USD'], levelsPerSide: 50 }));
    expect(v.instruments.map((i) => i.symbol)).toEqual(['SOL-USD', 'BTC-USD']);
    expect(v.snapshot(0).bids).toHaveLength(50);
    expect(v.simTimeMicros).toBe(0);
    expect(() => new SimVenue(config({ symbols: ['DOGE-USD'] }))).toThrow(/DOGE-USD/);
    expect(SIM_INSTRUMENTS.map((i) => i.symbol)).toEqual(['BTC-USD', 'ETH-USD', 'SOL-USD']);
  });
});

describe('SimVenue book', () => {
  // Tried: 8 simulated seconds at 5,000 updates/s (~40k updates, some spanning big re-centring),
  // replayed onto Map books that start from snapshot().
  // Must hold: after every update the book is uncrossed and 392+ levels deep; every change is a
  // real one with a positive integer size; trades hit the touch and shrink exactly the levels
  // they hit; at the end the replayed book equals snapshot().
  it('events rebuild snapshot() exactly and the book stays valid', () => {
    const v = new SimVenue(config());
    const sink = new CheckingSink(v);
    let n = 0;
    for (let t = 250_000; t <= 8_000_000; t += 250_000) n += v.advanceTo(t, sink);
    expect(n).toBe(sink.updates);
    expect(n).toBeGreaterThan(39_000);
    expect(sink.trades).toBeGreaterThan(1_000);
    expect(sink.minDepth).toBeGreaterThanOrEqual(392);
    v.instruments.forEach((_, i) => {
      const snap = v.snapshot(i);
      expect(sink.books[i].toSnapshot()).toEqual(snap);
      expect(snap.bids.length).toBeGreaterThan(300);
      expect(snap.asks.length).toBeGreaterThan(300);
      for (const [, q] of [...snap.bids, ...snap.asks]) expect(Number.isInteger(q) && q > 0).toBe(true);
    });
    // the spread is 1 tick most of the time and rarely wide
    const spreads = sink.spreads.sort((a, b) => a - b);
    expect(spreads[Math.floor(spreads.length * 0.5)]).toBe(1);
    expect(spreads[Math.floor(spreads.length * 0.9)]).toBeLessThanOrEqual(10);
  });

  // Tried: level changes of the run above, each ranked by how many levels on its side were better.
  // Must hold: more than 60 % of them fall within 10 levels of the best.
  it('activity concentrates near the touch', () => {
    const v = new SimVenue(config({ seed: 9 }));
    const sink = new CheckingSink(v);
    v.advanceTo(4_000_000, sink);
    const share = sink.nearTouch / sink.levelChanges;
    expect(share).toBeGreaterThan(0.6);
  });

  // Tried: a venue paused (rate 0) for 5 minutes while its fundamental moves, then restarted.
  // Must hold: it catches up through many small updates (at most a handful of changes each),
  // never crossed, and ends near where a venue that never paused is.
  it('re-centres after a long pause without a single huge jump', () => {
    const v = new SimVenue(config({ updatesPerSecond: 0 }));
    const sink = new CheckingSink(v);
    expect(v.advanceTo(300_000_000, sink)).toBe(0);
    expect(v.simTimeMicros).toBe(300_000_000);
    v.setRate(5_000);
    let maxChanges = 0;
    let changes = 0;
    const counting: SimSink = {
      level: (s, side, p, q) => {
        changes++;
        sink.level(s, side, p, q);
      },
      trade: (s, aggressor, p, q, ts) => sink.trade(s, aggressor, p, q, ts),
      endUpdate: (s, ts) => {
        maxChanges = Math.max(maxChanges, changes);
        changes = 0;
        sink.endUpdate(s, ts);
      },
    };
    v.advanceTo(310_000_000, counting);
    // a re-centring update: ≤ 4 levels out, 2 quotes in, then depth upkeep on both sides
    expect(maxChanges).toBeLessThanOrEqual(16);
    const live = new SimVenue(config());
    live.advanceTo(310_000_000, { level() {}, endUpdate() {}, trade() {} });
    v.instruments.forEach((_, i) => {
      const a = v.touch(i);
      const b = live.touch(i);
      expect(Math.abs(a.bid - b.bid) / b.bid).toBeLessThan(3e-4);
    });
  });
});
