import { describe, expect, it } from 'vitest';
import { FEATURE_COUNT, FEATURE_MIRROR, FEATURE_NAMES } from '../features';
import { DOWN, FLAT, UP } from './evaluate';
import { initLayers } from './mlp';
import { permutationImportance, withMirror } from './train';

describe('mirroring', () => {
  it('appends each row with its sign-flipping features negated and up and down swapped', () => {
    const x = Float32Array.from({ length: 3 * FEATURE_COUNT }, (_, i) => i + 1);
    const y = Uint8Array.of(UP, FLAT, DOWN);
    const m = withMirror({ x, y, n: 3 });
    expect(m.n).toBe(6);
    expect(Array.from(m.y)).toEqual([UP, FLAT, DOWN, DOWN, FLAT, UP]);
    expect(m.x.subarray(0, 3 * FEATURE_COUNT)).toEqual(x);
    for (let r = 0; r < 3; r++) {
      for (let i = 0; i < FEATURE_COUNT; i++) expect(m.x[(3 + r) * FEATURE_COUNT + i]).toBe(FEATURE_MIRROR[i] * x[r * FEATURE_COUNT + i]);
    }
  });
});

describe('permutation importance', () => {
  it('is zero for a feature the model does not read', () => {
    const layers = initLayers([FEATURE_COUNT, 8, 3], 1);
    // cut feature 0 off: its row of first-layer weights is zero
    for (let o = 0; o < 8; o++) layers[0].weight[o] = 0;
    const model = { mean: new Float32Array(FEATURE_COUNT), std: new Float32Array(FEATURE_COUNT).fill(1), layers };
    const n = 500;
    const x = Float32Array.from({ length: n * FEATURE_COUNT }, (_, i) => Math.sin(i * 12.9898) * 3);
    const y = Uint8Array.from({ length: n }, (_, i) => i % 3);
    const imp = permutationImportance(model, { x, y, n }, 7);
    expect(imp.map((i) => i.feature).sort()).toEqual([...FEATURE_NAMES].sort());
    expect(imp.find((i) => i.feature === FEATURE_NAMES[0])!.logLossIncrease).toBe(0);
    expect(imp[0].logLossIncrease).toBeGreaterThanOrEqual(imp[imp.length - 1].logLossIncrease);
  });
});
