/**
 * A deterministic stream of L2 level updates shaped like a live feed, for bench/book.bench.ts.
 * Ranks of touched levels are geometric (p = 0.2), 3% are deep (uniform over the side), and the
 * touch occasionally moves through the book: ~82% of updates land within the best 10 levels, ~91% within 20.
 */

export interface BookMix {
  /** The snapshot to load before timing; sides 0 = bid, 1 = ask. */
  readonly snapshot: Updates;
  readonly updates: Updates;
  readonly stats: {
    modifies: number;
    inserts: number;
    deletes: number;
    /** Update ops that were part of a touch move (deletes of the touch on one side, inserts on the other). */
    touchMoves: number;
    deep: number;
    withinTop10: number;
    withinTop20: number;
  };
}

export interface Updates {
  readonly side: Uint8Array;
  readonly price: Float64Array;
  readonly qty: Float64Array;
  readonly length: number;
}

export interface MixOptions {
  updates: number;
  levelsPerSide: number;
  seed: number;
}

const GEOMETRIC_P = 0.2;
const DEEP_SHARE = 0.03;
const TOUCH_MOVE_SHARE = 0.005;
const MID = 1_000_000;

/** mulberry32: small, fast, good enough for a workload generator. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Recorder {
  readonly side: Uint8Array;
  readonly price: Float64Array;
  readonly qty: Float64Array;
  length = 0;
  constructor(capacity: number) {
    this.side = new Uint8Array(capacity);
    this.price = new Float64Array(capacity);
    this.qty = new Float64Array(capacity);
  }
  push(side: number, price: number, qty: number): void {
    this.side[this.length] = side;
    this.price[this.length] = price;
    this.qty[this.length] = qty;
    this.length++;
  }
}

export function makeBookMix({ updates, levelsPerSide, seed }: MixOptions): BookMix {
  const rnd = prng(seed);
  const lots = () => 1 + Math.floor(rnd() * 10_000);
  const geometricRank = () => Math.floor(Math.log(1 - rnd()) / Math.log(1 - GEOMETRIC_P));
  // Generator state: each side's prices best-first (index 0 = touch); untimed, so plain arrays.
  const levels: [number[], number[]] = [[], []];
  const away = (side: number) => (side === 0 ? -1 : 1);

  const snap = new Recorder(2 * levelsPerSide);
  for (const side of [0, 1]) {
    let p = MID + away(side);
    while (levels[side].length < levelsPerSide) {
      if (rnd() < 0.85) {
        levels[side].push(p);
        snap.push(side, p, lots());
      }
      p += away(side);
    }
  }

  const out = new Recorder(updates + 8);
  const stats = { modifies: 0, inserts: 0, deletes: 0, touchMoves: 0, deep: 0, withinTop10: 0, withinTop20: 0 };
  const count = (rank: number, deep: boolean) => {
    if (deep) stats.deep++;
    if (rank < 10) stats.withinTop10++;
    if (rank < 20) stats.withinTop20++;
  };
  const pickRank = (side: number): [number, boolean] => {
    const n = levels[side].length;
    if (rnd() < DEEP_SHARE) return [Math.floor(rnd() * n), true];
    return [Math.min(geometricRank(), n - 1), false];
  };
  const remove = (side: number, rank: number) => {
    const [p] = levels[side].splice(rank, 1);
    out.push(side, p, 0);
  };
  /** Inserts into the first free tick at or outside rank `rank` (rank 0 may land inside the spread). */
  const insert = (side: number, rank: number) => {
    const lv = levels[side];
    const opposite = levels[1 - side][0];
    let r = rank;
    let p = r === 0 ? lv[0] - away(side) : lv[r - 1] + away(side);
    if (r === 0 && (p - opposite) * away(side) >= 0) {
      // No free tick inside the spread: go just outside the touch instead.
      r = 1;
      p = lv[0] + away(side);
    }
    while (r < lv.length && lv[r] === p) {
      p += away(side);
      r++;
    }
    lv.splice(r, 0, p);
    out.push(side, p, lots());
    return r;
  };

  while (out.length < updates) {
    const side = rnd() < 0.5 ? 0 : 1;
    const r = rnd();
    if (r < TOUCH_MOVE_SHARE) {
      // A sweep: k touch levels of one side go, and the other side steps into the freed ticks.
      const k = 1 + Math.floor(rnd() * 3);
      for (let j = 0; j < k; j++) {
        remove(side, 0);
        count(0, false);
      }
      const other = 1 - side;
      for (let j = 0; j < k; j++) {
        const p = levels[other][0] - away(other);
        if ((p - levels[side][0]) * away(other) <= 0) break;
        levels[other].unshift(p);
        out.push(other, p, lots());
        count(0, false);
        stats.touchMoves++;
      }
      stats.touchMoves += k;
      continue;
    }
    const depth = levels[side].length;
    if (r < TOUCH_MOVE_SHARE + 0.7) {
      const [rank, deep] = pickRank(side);
      out.push(side, levels[side][rank], lots());
      stats.modifies++;
      count(rank, deep);
    } else if (r < TOUCH_MOVE_SHARE + 0.85 ? depth < levelsPerSide * 1.05 : depth < levelsPerSide * 0.95) {
      // Depth stays within ±5% of levelsPerSide: below 95% deletes turn into inserts, and above
      // 105% inserts turn into deletes of the worst level.
      const [rank, deep] = pickRank(side);
      count(insert(side, rank), deep);
      stats.inserts++;
    } else {
      const [rank, deep] = depth > levelsPerSide * 1.05 ? [depth - 1, true] : pickRank(side);
      remove(side, rank);
      stats.deletes++;
      count(rank, deep);
    }
  }
  return { snapshot: snap, updates: out, stats };
}
