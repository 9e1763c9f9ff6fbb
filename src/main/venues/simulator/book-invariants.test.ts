import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SIM_INSTRUMENTS, SimVenue } from './index';
import { CheckingSink } from './test-support';

describe('SimVenue book invariants (property)', () => {
  // Tried: random seeds, venue ids, symbol subsets, shallow and deep books (5..120 levels), and
  // random sequences of advanceTo steps, update caps and rate changes (including pauses).
  // Must hold: every update replays onto Map books uncrossed with real, positive-integer changes
  // and consistent trades; the replayed books equal snapshot() at the end; both sides stay non-empty.
  it('holds for any seed, depth and call sequence', () => {
    const step = fc.record({
      dt: fc.integer({ min: 0, max: 400_000 }),
      cap: fc.option(fc.integer({ min: 1, max: 500 }), { nil: undefined }),
      rate: fc.option(fc.constantFrom(0, 20, 1_000, 20_000), { nil: undefined }),
    });
    fc.assert(
      fc.property(
        fc.integer(),
        fc.constantFrom('sim-a', 'sim-b', 'sim-c'),
        fc.subarray(SIM_INSTRUMENTS.map((i) => i.symbol), { minLength: 1 }),
        fc.integer({ min: 5, max: 120 }),
        fc.array(step, { minLength: 1, maxLength: 12 }),
        (seed, venue, symbols, levelsPerSide, steps) => {
          const v = new SimVenue({ venue, seed, symbols, levelsPerSide, updatesPerSecond: 5_000, epochMicros: 0 });
          const sink = new CheckingSink(v);
          let t = 0;
          for (const s of steps) {
            if (s.rate !== undefined) v.setRate(s.rate);
            t += s.dt;
            v.advanceTo(t, sink, s.cap);
            expect(v.simTimeMicros).toBeLessThanOrEqual(t);
          }
          expect(sink.minDepth).toBeGreaterThanOrEqual(1);
          v.instruments.forEach((_, i) => expect(sink.books[i].toSnapshot()).toEqual(v.snapshot(i)));
        },
      ),
      { numRuns: 60 },
    );
  });
});
