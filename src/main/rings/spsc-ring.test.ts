import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RING_CONTROL_BYTES, RingControl, SpscRing } from './spsc-ring';

/** Publishes one 8-byte value per slot (f64 word 0 of the slot). */
function push(ring: SpscRing, value: number): boolean {
  const off = ring.claim();
  if (off < 0) return false;
  ring.f64[off / 8] = value;
  ring.publish();
  return true;
}

function drain(ring: SpscRing, max?: number): number[] {
  const out: number[] = [];
  ring.poll((off) => out.push(ring.f64[off / 8]), max);
  return out;
}

/** Sets the free-running counters of a fresh ring, as if it had already carried `start` records. */
function startAt(ring: SpscRing, start: number): SpscRing {
  const ctl = new Int32Array(ring.sab, 0, RING_CONTROL_BYTES / 4);
  ctl[RingControl.Head] = start;
  ctl[RingControl.Tail] = start;
  return SpscRing.attach(ring.sab);
}

describe('SpscRing.create', () => {
  it('rejects a capacity that is not a power of two and a slot size that is not a multiple of 8', () => {
    // Must hold: bad shapes throw RangeErrors that name the bad value; good ones expose it.
    expect(() => SpscRing.create({ slotSize: 64, capacity: 12 })).toThrow(/power of two.*12/);
    expect(() => SpscRing.create({ slotSize: 64, capacity: 0 })).toThrow(/power of two/);
    expect(() => SpscRing.create({ slotSize: 60, capacity: 8 })).toThrow(/multiple of 8.*60/);
    expect(() => SpscRing.attach(new SharedArrayBuffer(RING_CONTROL_BYTES))).toThrow(/magic/);
    const ring = SpscRing.create({ slotSize: 64, capacity: 16 });
    expect([ring.slotSize, ring.capacity, ring.bytes.byteLength, ring.f64.length]).toEqual([64, 16, 1024, 128]);
    expect(ring.sab.byteLength).toBe(RING_CONTROL_BYTES + 1024);
    expect([ring.free(), ring.available(), ring.overflows()]).toEqual([16, 0, 0]);
  });
});

describe('SpscRing on one thread', () => {
  it('keeps order and contents when many more records than its capacity wrap around it', () => {
    // Tried: 10,000 records through 8 slots in bursts of 1..7, drained with various max values.
    // Must hold: every value comes out once, in order, at slot offsets inside the data region.
    const ring = SpscRing.create({ slotSize: 16, capacity: 8 });
    const out: number[] = [];
    let next = 0;
    for (let round = 0; next < 10_000; round++) {
      const burst = 1 + (round % 7);
      for (let i = 0; i < burst; i++) expect(push(ring, next++)).toBe(true);
      ring.poll((off) => {
        expect(off % 16).toBe(0);
        expect(off).toBeLessThan(128);
        out.push(ring.f64[off / 8]);
      }, round % 3 === 0 ? 2 : undefined);
      out.push(...drain(ring));
    }
    expect(out).toEqual(Array.from({ length: next }, (_, i) => i));
  });

  it('refuses claims when full, overwrites nothing, and counts overflows', () => {
    // Tried: fill 4 slots with several claims and one publish, claim a 5th, free one, claim again.
    // Must hold: claim gives -1 exactly when full; the unread records are intact; the overflow
    // counter counts what the producer reports.
    const ring = SpscRing.create({ slotSize: 8, capacity: 4 });
    for (let i = 0; i < 4; i++) ring.f64[ring.claim() / 8] = 10 + i;
    expect(ring.free()).toBe(0);
    expect(ring.available()).toBe(0); // claimed, not yet published
    ring.publish();
    expect(ring.available()).toBe(4);
    expect(ring.claim()).toBe(-1);
    ring.countOverflow();
    ring.countOverflow();
    expect(ring.overflows()).toBe(2);
    expect(drain(ring, 1)).toEqual([10]);
    expect(ring.free()).toBe(1);
    expect(push(ring, 14)).toBe(true);
    expect(ring.claim()).toBe(-1);
    expect(drain(ring)).toEqual([11, 12, 13, 14]);
  });

  it('lets a second handle attached to the same buffer see the data and continue the stream', () => {
    // Tried: produce on the created handle, consume on an attached one, then swap roles.
    // Must hold: the attached handle reads shape and data from the SAB, and head/tail stay shared.
    const a = SpscRing.create({ slotSize: 32, capacity: 4 });
    push(a, 1);
    push(a, 2);
    const b = SpscRing.attach(a.sab);
    expect([b.slotSize, b.capacity, b.available()]).toEqual([32, 4, 2]);
    expect(drain(b)).toEqual([1, 2]);
    expect(a.available()).toBe(0);
    expect(a.free()).toBe(4);
    push(a, 3);
    expect(drain(b)).toEqual([3]);
  });

  it('wraps the Int32 counters past 2^31 without losing count', () => {
    // Tried: counters started 3 below 2^31 - 1, then 20 records through 4 slots.
    // Must hold: free/available stay right across the sign flip and the order is kept.
    const ring = startAt(SpscRing.create({ slotSize: 8, capacity: 4 }), 0x7fff_fffd);
    const out: number[] = [];
    for (let i = 0; i < 20; i++) {
      expect(ring.free()).toBe(4);
      expect(push(ring, i)).toBe(true);
      expect(ring.available()).toBe(1);
      out.push(...drain(ring));
    }
    expect(out).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('advances the tail past the records handled before a handler throws', () => {
    // Must hold: records before the throwing one are consumed; it and later ones are kept.
    const ring = SpscRing.create({ slotSize: 8, capacity: 8 });
    for (let i = 0; i < 4; i++) push(ring, i);
    expect(() =>
      ring.poll((off) => {
        if (ring.f64[off / 8] === 2) throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(drain(ring)).toEqual([2, 3]);
  });

  it('waitSync returns at once when data is there and false after its timeout when empty', () => {
    // Must hold: no blocking with data; an empty ring blocks for about the timeout, then false.
    const ring = SpscRing.create({ slotSize: 8, capacity: 2 });
    const t0 = performance.now();
    expect(ring.waitSync(30)).toBe(false);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(25);
    push(ring, 1);
    expect(ring.waitSync(10_000)).toBe(true);
  });
});

type Op = { kind: 'claim'; n: number } | { kind: 'publish' } | { kind: 'poll'; max: number };

describe('SpscRing against a queue model', () => {
  it('matches a FIFO model for any interleaving of claims, publishes and polls', () => {
    // Tried: random capacities (1..32), random start counters (including near the Int32 wrap)
    // and random op sequences. Must hold after every op: claim fails exactly when
    // published + pending claims fill the ring; polls return published values in order; free and
    // available equal the model's.
    const op = fc.oneof(
      fc.record({ kind: fc.constant('claim' as const), n: fc.integer({ min: 1, max: 40 }) }),
      fc.record({ kind: fc.constant('publish' as const) }),
      fc.record({ kind: fc.constant('poll' as const), max: fc.integer({ min: 0, max: 40 }) }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5 }),
        fc.oneof(fc.constant(0), fc.constant(0x7fff_fff0), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })),
        fc.array(op, { maxLength: 60 }),
        (log2, start, ops: Op[]) => {
          const capacity = 1 << log2;
          const ring = startAt(SpscRing.create({ slotSize: 16, capacity }), start);
          const published: number[] = [];
          const pending: number[] = [];
          let next = 0;
          for (const o of ops) {
            if (o.kind === 'claim') {
              for (let i = 0; i < o.n; i++) {
                const off = ring.claim();
                const full = published.length + pending.length === capacity;
                expect(off < 0).toBe(full);
                if (full) break;
                ring.f64[off / 8] = next;
                ring.f64[off / 8 + 1] = -next;
                pending.push(next++);
              }
            } else if (o.kind === 'publish') {
              ring.publish();
              published.push(...pending.splice(0));
            } else {
              const got: number[] = [];
              const n = ring.poll((off) => {
                expect(ring.f64[off / 8 + 1]).toBe(-ring.f64[off / 8]);
                got.push(ring.f64[off / 8]);
              }, o.max);
              expect(got).toEqual(published.splice(0, o.max));
              expect(n).toBe(got.length);
            }
            expect(ring.available()).toBe(published.length);
            expect(ring.free()).toBe(capacity - published.length - pending.length);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
