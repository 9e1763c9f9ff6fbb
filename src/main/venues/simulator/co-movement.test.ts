import { describe, expect, it } from 'vitest';
import { SimVenue } from './index';
import { nullSink } from './test-support';

function correlation(x: number[], y: number[]): number {
  const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

describe('cross-venue co-movement', () => {
  // Tried: sim-a at 5,000/s and sim-b at 2,000/s, same seed, built separately, for 4 simulated
  // minutes; the mid of each symbol sampled every simulated second.
  // Must hold: 1-second mid returns correlate above 0.8 across venues; the mids stay within
  // 6 bps of each other yet differ most of the time (each venue has its own deviation).
  it('venues with one seed share the fundamental but not the book', () => {
    const a = new SimVenue({ venue: 'sim-a', seed: 2024, updatesPerSecond: 5_000, epochMicros: 0 });
    const b = new SimVenue({ venue: 'sim-b', seed: 2024, updatesPerSecond: 2_000, epochMicros: 0 });
    const mids = [a, b].map((v) => v.instruments.map(() => [] as number[]));
    for (let s = 0; s <= 240; s++) {
      [a, b].forEach((v, k) => {
        v.advanceTo(s * 1_000_000, nullSink);
        v.instruments.forEach((_, i) => {
          const { bid, ask } = v.touch(i);
          mids[k][i].push((bid + ask) / 2);
        });
      });
    }
    const returns = (m: number[]): number[] => m.slice(1).map((x, j) => Math.log(x / m[j]));
    a.instruments.forEach((inst, i) => {
      const [ma, mb] = [mids[0][i], mids[1][i]];
      const rho = correlation(returns(ma), returns(mb));
      const gaps = ma.map((m, j) => (Math.abs(m - mb[j]) / m) * 1e4);
      const differing = gaps.filter((g) => g > 0).length / gaps.length;
      expect(rho, `${inst.symbol} return correlation`).toBeGreaterThan(0.8);
      expect(Math.max(...gaps), `${inst.symbol} max mid gap, bps`).toBeLessThan(6);
      expect(differing, `${inst.symbol} share of samples where mids differ`).toBeGreaterThan(0.8);
    });
  });
});
