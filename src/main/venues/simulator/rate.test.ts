import { describe, expect, it } from 'vitest';
import { SimVenue } from './index';
import { nullSink } from './test-support';

const venue = (updatesPerSecond: number): SimVenue =>
  new SimVenue({ venue: 'sim-a', seed: 1, updatesPerSecond, epochMicros: 0 });

describe('SimVenue rate knob', () => {
  // Tried: one simulated second at 20 and at 50,000 updates/s, in 10 ms steps.
  // Must hold: the updates returned add up to the rate within ±5 %, and simulated time reaches 1 s.
  it.each([20, 50_000])('one simulated second at %i/s gives about that many updates', (rate) => {
    const v = venue(rate);
    let n = 0;
    for (let t = 10_000; t <= 1_000_000; t += 10_000) n += v.advanceTo(t, nullSink);
    expect(Math.abs(n - rate)).toBeLessThanOrEqual(rate * 0.05);
    expect(v.simTimeMicros).toBe(1_000_000);
  });

  // Tried: 20/s for a second, then 50,000/s for the next, then paused.
  // Must hold: each second follows the rate in force; a paused venue emits nothing but its time moves.
  it('setRate takes effect from the next update', () => {
    const v = venue(20);
    expect(v.advanceTo(1_000_000, nullSink)).toBeLessThanOrEqual(21);
    v.setRate(50_000);
    const fast = v.advanceTo(2_000_000, nullSink);
    expect(Math.abs(fast - 50_000)).toBeLessThanOrEqual(2_500);
    v.setRate(0);
    expect(v.advanceTo(3_000_000, nullSink)).toBe(0);
    expect(v.simTimeMicros).toBe(3_000_000);
    expect(() => v.setRate(-1)).toThrow(RangeError);
  });

  // Tried: a backlog of 1 s at 50,000/s drained with maxUpdates = 1,000.
  // Must hold: each call stops at the cap, simulated time stops at the last update emitted.
  it('maxUpdates caps one call and the rest follows on the next', () => {
    const v = venue(50_000);
    expect(v.advanceTo(1_000_000, nullSink, 1_000)).toBe(1_000);
    expect(v.simTimeMicros).toBeGreaterThan(19_000);
    expect(v.simTimeMicros).toBeLessThan(21_000);
  });

  // Tried: generating 2 simulated seconds at 1,000,000 updates/s into a sink that does nothing.
  // Prints the generation speed; timings are not asserted (machines differ).
  it('reports generation speed', () => {
    const v = venue(1_000_000);
    v.advanceTo(200_000, nullSink);
    const t0 = performance.now();
    const n = v.advanceTo(2_200_000, nullSink);
    const ms = performance.now() - t0;
    console.log(`simulator: ${n} updates in ${ms.toFixed(0)} ms = ${Math.round((n / ms) * 1000).toLocaleString('en-US')} updates/s`);
    expect(n).toBeGreaterThan(1_900_000);
  });
});
