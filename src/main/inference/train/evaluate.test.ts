import { describe, expect, it } from 'vitest';
import { DOWN, FLAT, UP, balancedThreshold, fitImbalanceRule, imbalanceSign, labelOf, score, splitByTime } from './evaluate';

describe('labels', () => {
  it('calls a move flat when it is under the threshold', () => {
    expect(labelOf(1, 1)).toBe(UP);
    expect(labelOf(0.99, 1)).toBe(FLAT);
    expect(labelOf(-0.99, 1)).toBe(FLAT);
    expect(labelOf(-1, 1)).toBe(DOWN);
  });

  it('picks a threshold that leaves about a third flat', () => {
    const moves = Float64Array.from({ length: 300 }, (_, i) => (i % 2 ? 1 : -1) * (i / 100));
    const rows = Uint32Array.from({ length: 300 }, (_, i) => i);
    const t = balancedThreshold(moves, rows);
    expect(t).toBe(1);
    const flat = Array.from(moves).filter((m) => labelOf(m, t) === FLAT).length;
    expect(flat).toBe(100);
  });
});

describe('splitByTime', () => {
  it('cuts training, tuning and validation in time order and drops samples whose horizon crosses a cut', () => {
    const ts = Float64Array.from({ length: 100 }, (_, i) => i * 1_000); // 0..99 s
    const s = splitByTime(ts, 100_000, 0.2, 0.1, 5_000);
    expect(s.tuneFromMs).toBe(70_000);
    expect(s.validationFromMs).toBe(80_000);
    expect(Array.from(s.train)).toEqual(Array.from({ length: 65 }, (_, i) => i)); // t + 5 s < 70 s
    expect(Array.from(s.tune)).toEqual([70, 71, 72, 73, 74]); // t + 5 s < 80 s
    expect(Array.from(s.validation)).toEqual(Array.from({ length: 20 }, (_, i) => 80 + i));
  });
});

describe('score', () => {
  it('gives the confusion matrix, accuracy and macro-F1', () => {
    const truth = [0, 0, 1, 1, 2, 2];
    const pred = [0, 1, 1, 1, 2, 0];
    const s = score(truth, pred);
    expect(s.confusion).toEqual([
      [1, 1, 0],
      [0, 2, 0],
      [1, 0, 1],
    ]);
    expect(s.accuracy).toBeCloseTo(4 / 6, 12);
    // down: p 1/2 r 1/2 → 1/2; flat: p 2/3 r 1 → 4/5; up: p 1 r 1/2 → 2/3
    expect(s.f1[0]).toBeCloseTo(0.5, 12);
    expect(s.f1[1]).toBeCloseTo(0.8, 12);
    expect(s.f1[2]).toBeCloseTo(2 / 3, 12);
    expect(s.macroF1).toBeCloseTo((0.5 + 0.8 + 2 / 3) / 3, 12);
  });

  it('scores a class never predicted with F1 0', () => {
    const s = score([0, 1, 2], [1, 1, 1]);
    expect(s.f1).toEqual([0, 0.5, 0]);
  });
});

describe('the sign-of-imbalance baseline', () => {
  it('says up above the band, down below minus the band, flat between', () => {
    expect(imbalanceSign(0.3, 0.2)).toBe(UP);
    expect(imbalanceSign(-0.3, 0.2)).toBe(DOWN);
    expect(imbalanceSign(0.2, 0.2)).toBe(FLAT);
    expect(imbalanceSign(0, 0)).toBe(FLAT);
  });

  it('chooses the depth and band that fit the training rows best', () => {
    // feature 1 carries the label with a flat band of ±0.4; feature 0 is noise
    const width = 2;
    const values = [-0.9, -0.6, -0.3, 0, 0.3, 0.6, 0.9];
    const features = new Float32Array(values.length * width);
    const labels = new Uint8Array(values.length);
    values.forEach((v, i) => {
      features[i * width] = i % 2 ? 0.5 : -0.5;
      features[i * width + 1] = v;
      labels[i] = v > 0.4 ? UP : v < -0.4 ? DOWN : FLAT;
    });
    const rows = Uint32Array.from(values.keys());
    const rule = fitImbalanceRule(features, width, [0, 1], labels, rows);
    expect(rule.feature).toBe(1);
    expect(rule.band).toBeGreaterThanOrEqual(0.3);
    expect(rule.band).toBeLessThan(0.6);
  });
});
