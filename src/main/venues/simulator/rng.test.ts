import { describe, expect, it } from 'vitest';
import { Rng, seedOf } from './rng';

describe('Rng', () => {
  // Tried: two generators from one seed, and generators from neighbouring seeds.
  // Must hold: equal seeds give equal streams; different seeds differ; floats lie in [0, 1).
  it('is a pure function of its seed', () => {
    const a = new Rng(5);
    const b = new Rng(5);
    const c = new Rng(6);
    const xs = Array.from({ length: 1000 }, () => a.u32());
    expect(Array.from({ length: 1000 }, () => b.u32())).toEqual(xs);
    expect(Array.from({ length: 1000 }, () => c.u32())).not.toEqual(xs);
    const r = new Rng(7);
    for (let i = 0; i < 10_000; i++) {
      const f = r.float();
      expect(f >= 0 && f < 1).toBe(true);
    }
  });

  // Tried: 200,000 draws of each distribution.
  // Must hold: sample moments close to the theoretical ones (uniform mean 1/2, normal 0 and 1, exponential mean).
  it('draws have the intended moments', () => {
    const r = new Rng(11);
    const n = 200_000;
    let u = 0;
    let g = 0;
    let g2 = 0;
    let e = 0;
    for (let i = 0; i < n; i++) {
      u += r.float();
      const z = r.gauss();
      g += z;
      g2 += z * z;
      e += r.exp(3);
    }
    expect(u / n).toBeCloseTo(0.5, 2);
    expect(g / n).toBeCloseTo(0, 1);
    expect(g2 / n).toBeCloseTo(1, 1);
    expect(e / n).toBeCloseTo(3, 1);
  });

  // Must hold: seedOf depends on every part and its order, including high bits of large numbers.
  it('seedOf mixes every part', () => {
    const base = seedOf(1, 'sim-a', 'BTC-USD');
    expect(seedOf(1, 'sim-a', 'BTC-USD')).toBe(base);
    expect(seedOf(2, 'sim-a', 'BTC-USD')).not.toBe(base);
    expect(seedOf(1, 'sim-b', 'BTC-USD')).not.toBe(base);
    expect(seedOf(1, 'BTC-USD', 'sim-a')).not.toBe(base);
    expect(seedOf(2 ** 40)).not.toBe(seedOf(0));
  });
});
