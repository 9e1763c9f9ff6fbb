import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Side, qty, ticks } from '../../shared/units';
import { L2Book } from './l2-book';

const SIDES = [Side.Bid, Side.Ask] as const;

/** The reference: a Map<price, qty> per side, sorted best-first on every read. */
class ModelBook {
  readonly levels: [Map<number, number>, Map<number, number>] = [new Map(), new Map()];

  apply(side: Side, price: number, q: number): void {
    if (q === 0) this.levels[side].delete(price);
    else this.levels[side].set(price, q);
  }
  sorted(side: Side): [number, number][] {
    const dir = side === Side.Bid ? -1 : 1;
    return [...this.levels[side]].sort((a, b) => dir * (a[0] - b[0]));
  }
  truncate(side: Side, maxDepth: number): void {
    this.levels[side] = new Map(this.sorted(side).slice(0, maxDepth));
  }
  clear(): void {
    this.levels[0].clear();
    this.levels[1].clear();
  }
}

/** Everything the book can report, read each way it offers, flattened for a fast compare. */
function bookView(book: L2Book, model: ModelBook) {
  const out: Record<string, unknown> = {};
  const size = Math.max(book.depth(Side.Bid), book.depth(Side.Ask)) + 3;
  const buf = { p: new Float64Array(size), q: new Float64Array(size) };
  for (const side of SIDES) {
    const d = book.depth(side);
    const ranks: number[] = [];
    for (let r = 0; r < d; r++) ranks.push(book.priceAt(side, r), book.qtyAt(side, r));
    const each: number[] = [];
    book.forEach(side, (p, q) => each.push(p, q));
    const topped: number[] = [];
    for (const n of [1, 5, 20, d + 3]) {
      const c = book.top(side, n, buf.p, buf.q);
      for (let i = 0; i < c; i++) topped.push(buf.p[i], buf.q[i]);
    }
    const byPrice: number[] = [];
    for (const [p] of model.levels[side]) byPrice.push(book.qtyOf(side, ticks(p)), book.qtyOf(side, ticks(p + 1)));
    out[side] = {
      depth: d,
      best: [book.bestPrice(side), book.bestQty(side)],
      outOfRange: [book.priceAt(side, d), book.qtyAt(side, d), book.priceAt(side, -1), book.qtyAt(side, -1)],
      ranks,
      each,
      topped,
      byPrice,
    };
  }
  out.crossed = book.isCrossed();
  out.mid = book.mid();
  return out;
}

/** What bookView must return for this model. */
function modelView(model: ModelBook) {
  const out: Record<string, unknown> = {};
  for (const side of SIDES) {
    const levels = model.sorted(side);
    const flat = levels.flat();
    const topped: number[] = [];
    for (const n of [1, 5, 20, levels.length + 3]) topped.push(...levels.slice(0, n).flat());
    const byPrice: number[] = [];
    for (const [p, q] of model.levels[side]) byPrice.push(q, model.levels[side].get(p + 1) ?? 0);
    out[side] = {
      depth: levels.length,
      best: levels.length ? levels[0] : [NaN, 0],
      outOfRange: [NaN, 0, NaN, 0],
      ranks: flat,
      each: flat,
      topped,
      byPrice,
    };
  }
  const bb = model.sorted(Side.Bid)[0]?.[0] ?? NaN;
  const ba = model.sorted(Side.Ask)[0]?.[0] ?? NaN;
  out.crossed = bb >= ba;
  out.mid = (bb + ba) / 2;
  return out;
}

function expectMatches(book: L2Book, model: ModelBook): void {
  const actual = bookView(book, model);
  const expected = modelView(model);
  // JSON first, as it is fast (NaN becomes null; -0 vs 0 has its own test). A plain Error rather
  // than a toEqual diff, because shrinking re-runs failing cases many times and big diffs are slow.
  if (JSON.stringify(actual) === JSON.stringify(expected)) return;
  const diff = firstDiff(actual, expected, 'book');
  if (diff) throw new Error(`L2Book differs from the model at ${diff}`);
}

function firstDiff(actual: unknown, expected: unknown, path: string): string | undefined {
  if (typeof expected !== 'object' || expected === null) {
    return Object.is(actual, expected) || actual === expected ? undefined : `${path}: got ${actual}, model ${expected}`;
  }
  if (Array.isArray(expected) && (actual as unknown[]).length !== expected.length) {
    return `${path}.length: got ${(actual as unknown[]).length}, model ${expected.length}`;
  }
  const a = actual as Record<string, unknown>;
  const e = expected as Record<string, unknown>;
  for (const k of Object.keys(e)) {
    const d = firstDiff(a[k], e[k], `${path}.${k}`);
    if (d) return d;
  }
  return undefined;
}

/** A cheap per-op assertion (vitest's expect costs more than the book op it checks). */
function check(got: number, want: number, what: string): void {
  if (got !== want) throw new Error(`${what}: got ${got}, model ${want}`);
}

function snapshot(book: L2Book): [number, number][][] {
  return SIDES.map((side) => {
    const levels: [number, number][] = [];
    book.forEach(side, (p, q) => levels.push([p, q]));
    return levels;
  });
}

type Op =
  | { kind: 'level'; side: Side; off: number; qty: number }
  | { kind: 'shift'; by: number }
  | { kind: 'truncate'; side: Side; maxDepth: number }
  | { kind: 'clear' };

const sideArb = fc.constantFrom(Side.Bid, Side.Ask);
// Distance from the running centre, away from it on each side: mostly near the touch, some deep,
// a few across the centre so the book sometimes crosses.
const offArb = fc.oneof(
  { weight: 70, arbitrary: fc.integer({ min: 0, max: 15 }) },
  { weight: 25, arbitrary: fc.integer({ min: 0, max: 700 }) },
  { weight: 5, arbitrary: fc.integer({ min: -5, max: -1 }) },
);
const qtyArb = fc.oneof(
  { weight: 3, arbitrary: fc.constant(0) },
  { weight: 7, arbitrary: fc.integer({ min: 1, max: 1_000_000 }) },
);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 970, arbitrary: fc.record({ kind: fc.constant('level' as const), side: sideArb, off: offArb, qty: qtyArb }) },
  { weight: 25, arbitrary: fc.record({ kind: fc.constant('shift' as const), by: fc.integer({ min: -3, max: 3 }) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('truncate' as const), side: sideArb, maxDepth: fc.integer({ min: 0, max: 40 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'clear' as const }) },
);
// Centres near 0 put zero and negative prices in the book; others reach ±2^31.
const centreArb = fc.oneof(fc.integer({ min: -30, max: 30 }), fc.integer());

describe('L2Book against a Map-per-side reference model', () => {
  it('matches the model on every read after random clustered/deep update sequences', () => {
    // Tries: 300 sequences of up to 2000 ops (inserts, modifies, deletes incl. of absent levels,
    // touch drift, occasional truncate/clear) from a 1–8 level initial capacity, so arrays grow.
    // Must hold: after every op, depth and qtyOf(the touched price) match; every 25 ops and at
    // the end, depth, best, each rank, qtyOf (present and absent), top(), forEach order,
    // isCrossed and mid all match the model.
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), centreArb, fc.array(opArb, { maxLength: 2000, size: 'max' }), (cap, centre0, ops) => {
        const book = new L2Book(cap);
        const model = new ModelBook();
        let centre = centre0;
        ops.forEach((op, i) => {
          if (op.kind === 'shift') centre += op.by;
          else if (op.kind === 'clear') (book.clear(), model.clear());
          else if (op.kind === 'truncate') (book.truncate(op.side, op.maxDepth), model.truncate(op.side, op.maxDepth));
          else {
            const price = op.side === Side.Bid ? centre - op.off : centre + op.off;
            book.apply(op.side, ticks(price), qty(op.qty));
            model.apply(op.side, price, op.qty);
            check(book.qtyOf(op.side, ticks(price)), op.qty, `qtyOf after op ${i}`);
          }
          check(book.depth(Side.Bid), model.levels[Side.Bid].size, `bid depth after op ${i}`);
          check(book.depth(Side.Ask), model.levels[Side.Ask].size, `ask depth after op ${i}`);
          if (i % 25 === 24) expectMatches(book, model);
        });
        expectMatches(book, model);
      }),
      // Shrinking 2000-op sequences can take minutes: stop after 25 s with the smallest failure so far.
      { numRuns: 300, interruptAfterTimeLimit: 25_000, markInterruptAsFailure: true },
    );
  });
});

describe('L2Book', () => {
  it('grows past its initial capacity and keeps order', () => {
    // Tries: 1500 distinct levels per side, in scattered order, into a book of capacity 1.
    // Must hold: all levels kept, best-first order exact, each qtyOf right.
    const book = new L2Book(1);
    const model = new ModelBook();
    // 7919 is prime, so i * 7919 mod 1500 visits every level once, in scattered order.
    const prices = Array.from({ length: 1500 }, (_, i) => 10_000 + 3 * ((i * 7919) % 1500));
    for (const side of SIDES) {
      for (const p of prices) {
        book.apply(side, ticks(p), qty(p % 97 + 1));
        model.apply(side, p, p % 97 + 1);
      }
    }
    expect(book.depth(Side.Bid)).toBe(1500);
    expect(book.bestPrice(Side.Bid)).toBe(10_000 + 3 * 1499);
    expect(book.bestPrice(Side.Ask)).toBe(10_000);
    expectMatches(book, model);
  });

  it('truncate keeps the best levels of one side only', () => {
    // Tries: truncate to 3, to more than depth, to 0, and a bad maxDepth.
    // Must hold: the 3 best bids remain, asks untouched; larger maxDepth is a no-op; 0 empties; bad input throws.
    const book = new L2Book(4);
    for (let i = 0; i < 10; i++) {
      book.apply(Side.Bid, ticks(100 + i), qty(i + 1));
      book.apply(Side.Ask, ticks(200 + i), qty(i + 1));
    }
    book.truncate(Side.Bid, 3);
    expect(snapshot(book)[Side.Bid]).toEqual([[109, 10], [108, 9], [107, 8]]);
    expect(book.depth(Side.Ask)).toBe(10);
    book.truncate(Side.Bid, 50);
    expect(book.depth(Side.Bid)).toBe(3);
    book.apply(Side.Bid, ticks(50), qty(1));
    expect(book.priceAt(Side.Bid, 3)).toBe(50);
    book.truncate(Side.Ask, 0);
    expect(book.depth(Side.Ask)).toBe(0);
    expect(book.bestPrice(Side.Ask)).toBeNaN();
    expect(() => book.truncate(Side.Bid, -1)).toThrow(/maxDepth must be a non-negative integer/);
    expect(() => book.truncate(Side.Bid, 1.5)).toThrow(/maxDepth/);
    expect(book.depth(Side.Bid)).toBe(4);
  });

  it('clear empties both sides and the book stays usable', () => {
    // Tries: clear a two-sided book, then add a level. Must hold: empty reads after clear, normal reads after.
    const book = new L2Book();
    book.apply(Side.Bid, ticks(99), qty(5));
    book.apply(Side.Ask, ticks(101), qty(6));
    expect(book.mid()).toBe(100);
    book.clear();
    for (const side of SIDES) {
      expect(book.depth(side)).toBe(0);
      expect(book.bestPrice(side)).toBeNaN();
      expect(book.bestQty(side)).toBe(0);
      expect(book.top(side, 5, new Float64Array(5), new Float64Array(5))).toBe(0);
    }
    expect(book.mid()).toBeNaN();
    expect(book.isCrossed()).toBe(false);
    book.apply(Side.Ask, ticks(105), qty(2));
    expect([book.bestPrice(Side.Ask), book.bestQty(Side.Ask), book.depth(Side.Ask)]).toEqual([105, 2, 1]);
  });

  it('rejects bad input with a clear error and leaves the book unchanged', () => {
    // Tries: negative, NaN, fractional, infinite quantities; NaN, fractional, infinite, unsafe prices.
    // Must hold: each throws a RangeError naming the field, and the book reads the same as before.
    const book = new L2Book();
    book.apply(Side.Bid, ticks(99), qty(5));
    book.apply(Side.Ask, ticks(101), qty(6));
    const before = snapshot(book);
    for (const side of SIDES) {
      for (const q of [-1, -0.5, NaN, 2.5, Infinity]) {
        expect(() => book.apply(side, ticks(99), qty(q))).toThrow(/qty must be a non-negative integer/);
      }
      for (const p of [NaN, 100.5, Infinity, -Infinity, 2 ** 53]) {
        expect(() => book.apply(side, ticks(p), qty(1))).toThrow(RangeError);
        expect(() => book.apply(side, ticks(p), qty(0))).toThrow(/price must be an integer number of ticks/);
      }
    }
    expect(snapshot(book)).toEqual(before);
    expect(() => new L2Book(0)).toThrow(/initial capacity/);
  });

  it('removing an absent level is a no-op; qty 0 removes a present one', () => {
    // Tries: qty 0 at a missing bid price, on an empty ask side, then at a present bid.
    // Must hold: depth and levels unchanged by a delete of a missing price; a present level goes away.
    const book = new L2Book();
    book.apply(Side.Bid, ticks(99), qty(5));
    book.apply(Side.Bid, ticks(98), qty(4));
    book.apply(Side.Bid, ticks(97), qty(0));
    book.apply(Side.Ask, ticks(99), qty(0));
    expect(snapshot(book)).toEqual([[[99, 5], [98, 4]], []]);
    book.apply(Side.Bid, ticks(99), qty(0));
    expect(snapshot(book)).toEqual([[[98, 4]], []]);
  });

  it('top() is bounded by n, depth and the output arrays', () => {
    // Tries: n above depth with short output arrays, n below depth, n = 0 and n < 0.
    // Must hold: count = min(n, depth, prices.length, qtys.length), best first; n <= 0 copies nothing.
    const book = new L2Book();
    for (let i = 1; i <= 5; i++) book.apply(Side.Ask, ticks(100 + i), qty(i));
    const p = new Float64Array(3);
    const q = new Float64Array(4);
    expect(book.top(Side.Ask, 10, p, q)).toBe(3);
    expect([...p, ...q]).toEqual([101, 102, 103, 1, 2, 3, 0]);
    expect(book.top(Side.Ask, 2, new Float64Array(8), new Float64Array(8))).toBe(2);
    expect(book.top(Side.Ask, 0, p, q)).toBe(0);
    expect(book.top(Side.Ask, -1, p, q)).toBe(0);
  });

  it('a locked book is crossed; mid may be a half tick; zero and -0 prices read as 0', () => {
    // Tries: a 1-tick spread, then a bid at the ask; levels at -0 on both sides.
    // Must hold: not crossed then crossed, mid 100.5; best prices read back as +0 and qtyOf(0) finds them.
    const book = new L2Book();
    book.apply(Side.Bid, ticks(100), qty(1));
    book.apply(Side.Ask, ticks(101), qty(1));
    expect([book.isCrossed(), book.mid()]).toEqual([false, 100.5]);
    book.apply(Side.Bid, ticks(101), qty(1));
    expect(book.isCrossed()).toBe(true);
    const zero = new L2Book();
    zero.apply(Side.Ask, ticks(-0), qty(3));
    zero.apply(Side.Bid, ticks(-0), qty(3));
    for (const side of SIDES) expect(Object.is(zero.bestPrice(side), 0)).toBe(true);
    expect(zero.qtyOf(Side.Ask, ticks(0))).toBe(3);
  });
});
