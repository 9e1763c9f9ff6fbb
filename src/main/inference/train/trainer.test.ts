import { describe, expect, it } from 'vitest';
import { Rng } from '../../venues/simulator/rng';
import { argmaxRows, forward, initLayers } from './mlp';
import { fit, type FitOptions } from './trainer';

/** A planted signal: the class is which of the first two features is larger, or 1 when they are close; the rest is noise. */
function planted(n: number, f: number, seed: number): { x: Float32Array; y: Uint8Array } {
  const rng = new Rng(seed);
  const x = new Float32Array(n * f);
  const y = new Uint8Array(n);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < f; i++) x[r * f + i] = rng.gauss();
    const d = x[r * f] - x[r * f + 1];
    y[r] = d > 0.5 ? 2 : d < -0.5 ? 0 : 1;
  }
  return { x, y };
}

const OPTS: FitOptions = { hidden: [32, 16], classes: 3, epochs: 6, batchSize: 64, learningRate: 3e-3, weightDecay: 1e-4, seed: 42, patience: 3 };

describe('MLP training', () => {
  it('is deterministic: the same seed gives bit-identical weights, another seed different ones', () => {
    const { x, y } = planted(2_000, 12, 1);
    const a = fit(x, y, 2_000, 12, OPTS);
    const b = fit(x, y, 2_000, 12, OPTS);
    const c = fit(x, y, 2_000, 12, { ...OPTS, seed: 43 });
    expect(a.epochLoss).toEqual(b.epochLoss);
    a.layers.forEach((l, i) => {
      expect(l.weight).toEqual(b.layers[i].weight);
      expect(l.bias).toEqual(b.layers[i].bias);
    });
    expect(a.layers[0].weight).not.toEqual(c.layers[0].weight);
  });

  it('learns a planted signal and generalises to fresh rows', () => {
    const f = 12;
    const train = planted(6_000, f, 2);
    const test = planted(2_000, f, 3);
    const res = fit(train.x, train.y, 6_000, f, OPTS);
    expect(res.epochLoss[res.epochLoss.length - 1]).toBeLessThan(res.epochLoss[0]);
    const model = { mean: new Float32Array(f), std: new Float32Array(f).fill(1), layers: res.layers };
    const pred = new Uint8Array(2_000);
    argmaxRows(forward(model, test.x, 2_000), 2_000, 3, pred);
    let correct = 0;
    for (let i = 0; i < 2_000; i++) correct += pred[i] === test.y[i] ? 1 : 0;
    expect(correct / 2_000).toBeGreaterThan(0.85);
  });

  it('stops early on a tuning set and keeps the best epoch’s weights', () => {
    const f = 12;
    const train = planted(600, f, 4);
    // tuning labels unrelated to the features: more training only hurts there
    const tune = planted(600, f, 5);
    const noise = new Rng(6);
    for (let i = 0; i < tune.y.length; i++) tune.y[i] = noise.int(3);
    const res = fit(train.x, train.y, 600, f, { ...OPTS, epochs: 40, patience: 2 }, { x: tune.x, y: tune.y, n: 600 });
    expect(res.epochLoss.length).toBeLessThan(40);
    expect(res.tuneLoss.length).toBe(res.epochLoss.length);
    expect(res.bestEpoch).toBe(res.tuneLoss.indexOf(Math.min(...res.tuneLoss)) + 1);
    expect(res.epochLoss.length - res.bestEpoch).toBe(2);
  });

  it('initialises from the seed alone', () => {
    expect(initLayers([4, 3, 2], 9)[0].weight).toEqual(initLayers([4, 3, 2], 9)[0].weight);
    expect(() => initLayers([4], 1)).toThrow(RangeError);
  });
});
