import { describe, expect, it } from 'vitest';
import { Side, type Micros } from '../../../shared/units';
import { L2Book } from '../../market/l2-book';
import { SimVenue } from '../../venues/simulator';
import { FEATURE_COUNT, WARMUP_MS } from '../features';
import { simulateSession, type SessionOptions } from './session';

const OPTS: SessionOptions = {
  minutes: 1.5,
  seed: 3,
  venues: ['sim-a'],
  symbols: ['ETH-USD'],
  updatesPerSecond: 100,
  horizonMs: 5_000,
  sampleEveryMs: 250,
};

describe('simulated training sessions', () => {
  it('are deterministic from the seed', () => {
    const a = simulateSession(OPTS);
    const b = simulateSession(OPTS);
    expect(a.count).toBeGreaterThan(100);
    expect(a.features).toEqual(b.features);
    expect(a.futureBps).toEqual(b.futureBps);
    expect(a.tsMs).toEqual(b.tsMs);
    expect(simulateSession({ ...OPTS, seed: 4 }).futureBps).not.toEqual(a.futureBps);
  });

  it('sample after the warm-up, at most once per interval, with finite features', () => {
    const s = simulateSession(OPTS);
    expect(s.books).toEqual(['sim-a/ETH-USD']);
    for (let i = 0; i < s.count; i++) {
      expect(s.tsMs[i]).toBeGreaterThanOrEqual(WARMUP_MS);
      if (i > 0) expect(s.tsMs[i] - s.tsMs[i - 1]).toBeGreaterThanOrEqual(OPTS.sampleEveryMs);
      // the session's last horizon has no label yet
      expect(s.tsMs[i] + OPTS.horizonMs).toBeLessThan(s.durationMs);
    }
    expect(s.features.every((v) => Number.isFinite(v))).toBe(true);
    expect(s.features.length).toBe(s.count * FEATURE_COUNT);
  });

  it('label each sample with the mid move to the last update at or before its horizon', () => {
    const s = simulateSession(OPTS);
    // an independent replay of the same venue: the mid after every update
    const sim = new SimVenue({ venue: 'sim-a', seed: OPTS.seed, symbols: [...OPTS.symbols!], updatesPerSecond: OPTS.updatesPerSecond, epochMicros: 0 });
    const book = new L2Book();
    const snap = sim.snapshot(0);
    for (const [p, q] of snap.bids) book.apply(Side.Bid, p, q);
    for (const [p, q] of snap.asks) book.apply(Side.Ask, p, q);
    const times: number[] = [0];
    const mids: number[] = [book.mid()];
    sim.advanceTo(OPTS.minutes * 60e6, {
      level: (_s, side, price, q) => book.apply(side, price, q),
      endUpdate: (_s, ts: Micros) => {
        times.push(ts / 1000);
        mids.push(book.mid());
      },
      trade: () => {},
    });
    const midAt = (t: number): number => {
      let lo = 0;
      let hi = times.length - 1;
      while (lo < hi) {
        const m = (lo + hi + 1) >> 1;
        if (times[m] <= t) lo = m;
        else hi = m - 1;
      }
      return mids[lo];
    };
    for (let i = 0; i < s.count; i++) {
      const expected = (midAt(s.tsMs[i] + OPTS.horizonMs) / midAt(s.tsMs[i]) - 1) * 10_000;
      expect(s.futureBps[i]).toBeCloseTo(expected, 9);
    }
  });
});
